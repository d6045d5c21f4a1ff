use super::*;

fn facts(text: &str) -> Vec<Fact> {
    let src = Source::new("t.txt".into(), text.to_string());
    extract(&src, &Settings::default())
}

fn brief(text: &str) -> Vec<String> {
    facts(text)
        .iter()
        .map(|f| {
            format!(
                "{:?}[{}]{}{}={}",
                f.concept,
                f.subject,
                f.part_of
                    .as_ref()
                    .map(|p| format!("<{p}"))
                    .unwrap_or_default(),
                match f.period {
                    Period::Previous => "@prev",
                    Period::Next => "@next",
                    Period::Current => "",
                },
                f.word.clone().unwrap_or_else(|| f.quantity.to_string())
            )
        })
        .collect()
}

#[test]
fn seed_budget_sentence() {
    let b = brief(
        "2024年度市总工会支出年初预算为775.83万元，预算调整数为108.66万元，决算数为884.49万元，完成年初预算数的114.00%，预算调整原因为年中追加了专项资金。",
    );
    assert_eq!(
        b,
        vec![
            "InitialBudget[]=775.83万元",
            "Adjustment[]=108.66万元",
            "Actual[]=884.49万元",
            "Rate[]=114.00%",
        ]
    );
}

#[test]
fn seed_sangong_sentence_with_parts() {
    let b = brief(
        "2024年度市总工会“三公”经费支出全年预算数为3.80万元,支出决算为3.76万元,完成年初预算数的98.94%。其中：公务用车运行维护费全年预算数为3万元,支出决算为3万元,完成预算数的100%；公务接待费全年预算数为0.8万元,支出决算为0.76万元,完成预算数的95%，共接待7批次，63人。",
    );
    assert_eq!(
        b,
        vec![
            "FullYearBudget[三公经费]=3.80万元",
            "Actual[三公经费]=3.76万元",
            "Rate[三公经费]=98.94%",
            "FullYearBudget[公务用车运行维护费]<三公经费=3.00万元",
            "Actual[公务用车运行维护费]<三公经费=3.00万元",
            "Rate[公务用车运行维护费]<三公经费=100%",
            "FullYearBudget[公务接待费]<三公经费=0.80万元",
            "Actual[公务接待费]<三公经费=0.76万元",
            "Rate[公务接待费]<三公经费=95%",
        ]
    );
}

#[test]
fn qizhong_in_one_sentence_marks_parts() {
    let b = brief("三公经费决算3.76万元，其中：公务用车运行维护费3万元，公务接待费0.76万元。");
    assert_eq!(
        b,
        vec![
            "Actual[三公经费]=3.76万元",
            "Actual[公务用车运行维护费]<三公经费=3.00万元",
            "Actual[公务接待费]<三公经费=0.76万元",
        ]
    );
}

#[test]
fn scores_weights_totals_and_grades() {
    let b = brief(
        "二、结论\n自评分数为88.35分，等级为良好。\n三、分析\n(一)履职\n产出指标得分为8分，效益指标得分为10分，完成情况较好，得分为10分。\n项目实施程序(15分)得分为13.35分。\n新增项目扣1分。",
    );
    assert_eq!(
        b,
        vec![
            "TotalScore[]=88.35分",
            "Grade[]=良好",
            "Score[产出指标]=8.00分",
            "Score[效益指标]=10.00分",
            "Score[效益指标]=10.00分",
            "Weight[项目实施程序]=15.00分",
            "Score[项目实施程序]=13.35分",
        ]
    );
}

#[test]
fn task_completion_rates_are_not_budget_rates() {
    assert!(brief("培训任务完成率为95%，满意度达98%，资金到位率100%。").is_empty());
    assert_eq!(brief("预算资金完成率为95%。"), vec!["Rate[]=95%"]);
}

#[test]
fn funding_sources_are_subjects_of_their_own() {
    let b = brief("支出决算884.49万元，其中财政拨款支出决算800.00万元。");
    assert_eq!(
        b,
        vec!["Actual[]=884.49万元", "Actual[财政拨款]<=800.00万元"]
    );
}

#[test]
fn the_object_s_own_score_is_the_total() {
    assert_eq!(
        brief("本项目自评得分为90.00分。部门整体得分88分。该单位综合得分85.5分。"),
        vec![
            "TotalScore[]=90.00分",
            "TotalScore[]=88.00分",
            "TotalScore[]=85.50分"
        ]
    );
}

#[test]
fn project_report_phrasing() {
    let b = brief(
        "该项目年初预算数为1,200.00万元，全年预算数为1,400.00万元，其中：中央补助资金800.00万元，省级资金400.00万元。截至2024年12月31日，实际支出1,365.50万元，预算执行率为97.54%。上半年支出进度为35%。2025年计划安排预算1,500万元。",
    );
    assert_eq!(
        b,
        vec![
            "InitialBudget[]=1200.00万元",
            "FullYearBudget[]=1400.00万元",
            "FullYearBudget[中央补助资金]<=800.00万元",
            "FullYearBudget[省级资金]<=400.00万元",
            "Actual[]=1365.50万元",
            "Rate[]=97.54%",
            "Budget[]@next=1500.00万元",
        ]
    );
}

#[test]
fn full_marks_are_not_the_total() {
    assert_eq!(
        brief("评价总分100分，自评得分88分，满分100分。"),
        vec![
            "Weight[]=100.00分",
            "TotalScore[]=88.00分",
            "Weight[]=100.00分"
        ]
    );
}

#[test]
fn good_is_not_a_grade_without_grade_words() {
    assert!(brief("完成情况较为良好，质量优秀。").is_empty());
}

#[test]
fn previous_year_and_changes() {
    let b = brief(
        "2024年决算数为110万元，上年决算数为100万元，比上年增加10万元，增长10%。2024年工作。",
    );
    assert_eq!(
        b,
        vec![
            "Actual[]=110万元",
            "Actual[]@prev=100万元",
            "Change[]=10万元",
            "ChangeRate[]=10%",
        ]
    );
}

#[test]
fn respectively_lists() {
    let b = brief("年初预算、调整后预算、决算分别为100.00万元、120.00万元、118.50万元。");
    assert_eq!(
        b,
        vec![
            "InitialBudget[]=100.00万元",
            "FullYearBudget[]=120.00万元",
            "Actual[]=118.50万元",
        ]
    );
}

#[test]
fn project_subjects_are_kept_apart() {
    let b = brief("职工疗休养项目年初预算为50万元，决算为49.5万元。");
    assert_eq!(
        b,
        vec![
            "InitialBudget[职工疗休养项目]=50.0万元",
            "Actual[职工疗休养项目]=49.5万元",
        ]
    );
}

#[test]
fn a_word_added_to_a_slot_is_read_like_the_built_in_ones() {
    let text = "1.乡村振兴行动，预算150万元，实际支出145万元；";
    let subjects = |settings: &Settings| -> Vec<String> {
        let src = Source::new("t.txt".into(), text.to_string());
        extract(&src, settings)
            .iter()
            .map(|f| f.subject.clone())
            .collect()
    };
    let mut settings = Settings::default();
    assert_eq!(subjects(&settings), ["", ""]);
    let extra = "[[word]]\nslot = \"project_suffix\"\nwords = [\"行动\"]\n".to_string();
    let vocab = crate::extract::vocab::extended(&[extra]).expect("valid vocabulary");
    settings.extended_vocabulary = Some(Arc::new(vocab));
    assert_eq!(subjects(&settings), ["乡村振兴行动", "乡村振兴行动"]);
}
