// 13 lines 6 code 5 comments 2 blanks
//! Crate docs.

/// Outer doc.
pub fn f<'a>(s: &'a str) -> char {
    let r = r#"/* not a comment
// still a string
"#;
    /* nested /* comment */ still
       comment */
    'x'
}

