"""Writes the .xls (BIFF8) fixtures of fixtures/sheets/, for the legacy format no Rust crate writes.

    pip install xlwt && python3 scripts/make_xls.py fixtures/sheets

The cells are those of tests/support/workbooks.rs: dept_rows for the two department sheets below,
and every `NAME.json` that `cargo run --example make_sheets` wrote (the four template families,
with their merged cells), which becomes `NAME.xls` beside its `NAME.xlsx` and is then removed.
Both files give the findings of `NAME.expected`. Text starting with ' is written as text; other
text that parses as a number is written as a number, as the .xlsx writer does.
"""
import glob
import json
import os
import sys
import xlwt

DEPT = [
    ["部门整体支出绩效自评表"],
    ["一级指标", "二级指标", "三级指标", "分值", "自评得分", "扣分原因"],
    ["决策", "目标设定", "绩效目标合理性", 5, 5, ""],
    ["", "", "绩效指标明确性", 5, 4, "指标未完全量化"],
    ["", "预算配置", "在职人员控制率", 5, 5, ""],
    ["", "", "三公经费变动率", 5, 5, ""],
    ["过程", "预算执行", "预算完成率", 10, 9, "年中追加"],
    ["", "", "预算调整率", 10, 8, "调整较大"],
    ["", "预算管理", "管理制度健全性", 10, 10, ""],
    ["产出", "职责履行", "重点工作完成率", 20, 18, "部分工作延期"],
    ["效益", "履职效益", "社会效益", 20, 19, "宣传不足"],
    ["", "满意度", "服务对象满意度", 10, 9, "个别投诉"],
    ["合计", "", "", 100, 92, ""],
    ["评价等级", "优"],
]


def write(path, rows):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("评分表")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value != "":
                sheet.write(r, c, value)
    book.save(path)


def cell_value(text):
    if text.startswith("'"):
        return text[1:]
    try:
        return float(text)
    except ValueError:
        return text


def write_book(path, spec):
    book = xlwt.Workbook(encoding="utf-8")
    for i, s in enumerate(spec["sheets"]):
        sheet = book.add_sheet(s["name"], cell_overwrite_ok=True)
        r0, c0 = s["origin"]
        merged = set()
        for m in spec["merges"]:
            if m[0] != i:
                continue
            _, a, b, c, d = m
            text = s["rows"][a][b] if a < len(s["rows"]) and b < len(s["rows"][a]) else ""
            sheet.write_merge(r0 + a, r0 + c, c0 + b, c0 + d, cell_value(text))
            merged.add((a, b))
        for r, row in enumerate(s["rows"]):
            for c, text in enumerate(row):
                if text != "" and (r, c) not in merged:
                    sheet.write(r0 + r, c0 + c, cell_value(text))
    book.save(path)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "fixtures/sheets"
    write(f"{out}/部门整体自评表（xls）.xls", DEPT)
    broken = [list(r) for r in DEPT]
    broken[3][4] = 6  # 绩效指标明确性: 6 over its weight 5, and the sum is now 94 ≠ 92
    write(f"{out}/部门整体自评表（xls，有错）.xls", broken)
    for spec_path in sorted(glob.glob(f"{out}/*.json")):
        with open(spec_path, encoding="utf-8") as f:
            spec = json.load(f)
        write_book(spec_path[: -len(".json")] + ".xls", spec)
        os.remove(spec_path)


if __name__ == "__main__":
    main()
