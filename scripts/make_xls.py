"""Writes the .xls (BIFF8) fixtures of fixtures/sheets/, for the legacy format no Rust crate writes.

    pip install xlwt && python3 scripts/make_xls.py fixtures/sheets

The cells are those of tests/support/workbooks.rs (dept_rows), so the .xls must give the findings
the .xlsx gives: the clean sheet none, the broken one SP0201 at 评分表!E4 and SP0203 at 评分表!E13.
"""
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


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "fixtures/sheets"
    write(f"{out}/部门整体自评表（xls）.xls", DEPT)
    broken = [list(r) for r in DEPT]
    broken[3][4] = 6  # 绩效指标明确性: 6 over its weight 5, and the sum is now 94 ≠ 92
    write(f"{out}/部门整体自评表（xls，有错）.xls", broken)


if __name__ == "__main__":
    main()
