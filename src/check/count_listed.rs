//! SP0111 count-listed: "有4个，分别为A、B、C" — a count and the items listed with it disagree.

use super::Context;
use super::util::{finding, shown, val, with};
use crate::diagnostic::{Finding, Rule, Severity, Text};
use crate::fact::Concept;
use rust_decimal::Decimal;

pub static RULE: Rule = Rule {
    code: "SP0111",
    name: "count-listed",
    severity: Severity::Warning,
    summary: (
        "所写个数与随后（或之前）列出的项数不符",
        "a stated count differs from the number of items listed with it",
    ),
    doc: (
        "## SP0111 count-listed（个数与所列项目数不符）\n\n\
检查什么：写明“N个”并紧接着列出名称的地方——“A、B、C等3个区县”“超亿元的部门有4个，\n\
分别为A、B、C和D”。列出的项数须等于 N；写了“等”或“包括”时，列出的不能多于 N。\n\
“和/及/与”可能连接两项，也可能是名称的一部分（人力资源和社会保障部），两种数法\n\
有一种相符就不报。含数字的项是金额等数字，不算名单。\n\n\
为什么：增删名单后忘了改个数，是公开文本里常见的错误；读者会以为漏列或多列了。\n\n\
示例：\n\n    “三公”经费超亿元的部门有4个，分别为央行、农业部和公安部。\n\n\
列出 3 个（或按“和”不拆分为 2 个），与“4个”不符 → 警告。\n",
        "## SP0111 count-listed\n\n\
What: a count written as N个 with the names it counts right before or after it (\"A、B、C等3个区\
县\", \"有4个，分别为A、B、C和D\"). The items listed must number N; after 等 or 包括 they must \
not exceed N. A 和/及/与 may join two items or be part of a name (人力资源和社会保障部): when \
either count fits, nothing is said. Items with digits are figures, not a list of names.\n\n\
Why: a list edited without its count is a common slip in published texts.\n\n\
Example: \"有4个，分别为央行、农业部和公安部\": 3 items listed (or 2) for 4 → warning.\n",
    ),
};

pub fn check(ctx: &Context, out: &mut Vec<Finding>) {
    // A count's list is the fact right after it (extraction makes them in pairs).
    for pair in ctx.facts.windows(2) {
        let [count, listed] = pair else { continue };
        if count.concept != Concept::Count || listed.concept != Concept::Listed {
            continue;
        }
        let Some(listing) = listed.listing else {
            continue;
        };
        let n = val(count);
        let ways = [val(listed), Decimal::from(listing.also)];
        let fits = if listing.open {
            ways.iter().any(|&w| w <= n)
        } else {
            ways.contains(&n)
        };
        if fits {
            continue;
        }
        let listed_n = val(listed);
        let (also_zh, also_en) = if Decimal::from(listing.also) != listed_n {
            (
                format!("（把“和/及/与”算作分隔则为 {} 项）", listing.also),
                format!(" ({} if 和/及/与 separates items)", listing.also),
            )
        } else {
            (String::new(), String::new())
        };
        let (how_zh, how_en) = if listing.open {
            (
                "列出的已多于所写个数",
                "more items are listed than the count says",
            )
        } else {
            (
                "列出的项数与所写个数不符",
                "the items listed do not number the count",
            )
        };
        let f = finding(
            &RULE,
            count,
            Text::new(
                format!(
                    "所写 {}个{}，但列出了 {} 项{also_zh}：{how_zh}",
                    shown(count).trim_end_matches('个'),
                    count.subject,
                    listed_n
                ),
                format!(
                    "{} {} stated, {} listed{also_en}: {how_en}",
                    shown(count).trim_end_matches('个'),
                    count.subject,
                    listed_n
                ),
            ),
        )
        .expected_found(format!("{listed_n}"), shown(count));
        out.push(with(
            with(f, count, "所写个数", "count"),
            listed,
            "列出的项目",
            "items listed",
        ));
    }
}
