pub mod workbooks;
