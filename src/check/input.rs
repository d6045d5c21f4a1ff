//! Input rules: files that could not be read or checked. These are reported by the sources, not
//! computed over facts, but they have stable codes like every other finding.

use crate::diagnostic::{Rule, Severity};

pub static UNREADABLE: Rule = Rule {
    code: "SP0001",
    name: "input-unreadable",
    severity: Severity::Error,
    summary: (
        "文件无法读取或已损坏",
        "an input file cannot be read or is damaged",
    ),
    doc: (
        "## SP0001 input-unreadable（文件无法读取）\n\n\
检查什么：文件打不开、为空、不是文本、编码无法识别、已损坏、有密码保护或超出大小上限；\
遍历时无法读取的文件夹、指向不存在目标的符号链接，以及命名管道（FIFO）、套接字、设备文件（立即拒绝，不打开）。\n\n\
为什么：无法读取的报告就无法核对，提交前必须处理；批量检查时其余文件照常检查。\n\n\
示例：把 .xlsx 改名为 .txt 后检查，会报告“文件不是文本（含二进制内容）”。\n",
        "## SP0001 input-unreadable\n\n\
What: a file cannot be opened, is empty, is not text, has an unknown encoding, is damaged, \
password-protected, or over the size limit; a folder met while walking that cannot be listed, \
a symbolic link to nothing, and a FIFO, socket or device (refused at once, never opened).\n\n\
Why: a report that cannot be read cannot be checked; in a batch the other files are still checked.\n\n\
Example: an .xlsx renamed to .txt is reported as \"the file is not text (binary content)\".\n",
    ),
};

pub static UNSUPPORTED: Rule = Rule {
    code: "SP0002",
    name: "input-unsupported",
    severity: Severity::Warning,
    summary: (
        "不支持的文件格式",
        "an input file's format is not supported",
    ),
    doc: (
        "## SP0002 input-unsupported（不支持的格式）\n\n\
检查什么：.doc、.wps、.pdf、.et 等 suanpan 无法读取的格式。\n\n\
为什么：这些文件中的数字无法核对；提示应另存为哪种格式（.docx、.txt 或 .xlsx）。\n\n\
示例：检查 报告.doc，提示“不支持 .doc 格式，请另存为 .docx 后再检查”。\n",
        "## SP0002 input-unsupported\n\n\
What: .doc, .wps, .pdf, .et and other formats suanpan cannot read.\n\n\
Why: their figures cannot be checked; the message says what to save the file as \
(.docx, .txt or .xlsx).\n\n\
Example: checking report.doc says \"save it as .docx and check again\".\n",
    ),
};

pub static NO_FIGURES: Rule = Rule {
    code: "SP0003",
    name: "no-figures",
    severity: Severity::Info,
    summary: (
        "文件中没有找到可核对的数字",
        "no checkable figures were found in a file",
    ),
    doc: (
        "## SP0003 no-figures（没有可核对的数字）\n\n\
检查什么：文件能读取，但没有识别出任何预算、执行、得分或等级数字。\n\n\
为什么：可能是文件选错了，或者表述方式 suanpan 尚未识别；提示人工查看。\n\n\
示例：一份只有文字、没有金额和得分的说明文件。\n",
        "## SP0003 no-figures\n\n\
What: the file was read but no budget, spending, score or grade figure was recognised.\n\n\
Why: the wrong file may have been picked, or its phrasing is not yet recognised; look at it by hand.\n\n\
Example: a memo with no amounts or scores.\n",
    ),
};

pub static PARTLY_READ: Rule = Rule {
    code: "SP0004",
    name: "input-partly-read",
    severity: Severity::Warning,
    summary: (
        "文件只读取了一部分：其余部分没有检查",
        "part of an input file was not read, so it was not checked",
    ),
    doc: (
        "## SP0004 input-partly-read（文件只读取了一部分）\n\n\
检查什么：文件能读取，但其中一部分没有读到：文本里有无法解码的字节（已替换为“�”，其余照常检查），\
工作表超出读取上限的行或列（20,000 行、200 列）中有内容，或文件夹中的符号链接指向其上级文件夹（循环，未再进入）。\n\n\
为什么：没有读到的部分就没有检查，不能悄悄略过；提示读到了哪里、缺了什么，其余内容照常检查。\n\n\
示例：一份 UTF-8 报告中混入一个无效字节，提示其所在行列；工作表第 25,000 行有数字，提示超出 20,000 行的上限。\n",
        "## SP0004 input-partly-read\n\n\
What: the file was read, but part of it was not: bytes that are not valid in the text's encoding \
(replaced by \"�\", the rest checked), cells of a sheet beyond the read limits (20,000 rows, \
200 columns), or a symbolic link in a folder that points back to a folder above it (a loop, not \
followed again).\n\n\
Why: what was not read was not checked, and must not be skipped in silence; the finding says \
where and what, and the rest is checked as usual.\n\n\
Example: one invalid byte in a UTF-8 report is reported at its line and column; figures in row \
25,000 of a sheet are reported as beyond the 20,000-row limit.\n",
    ),
};

pub static RULES: &[&Rule] = &[&UNREADABLE, &UNSUPPORTED, &NO_FIGURES, &PARTLY_READ];
