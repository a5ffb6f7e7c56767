using System.Text;
using Oxidation.Rust;

namespace Oxidation.Tests.Rust;

public sealed class UnsafeAuditTests
{
    private static List<UnsafeSite> Audit(string source)
    {
        var bytes = Encoding.UTF8.GetBytes(source);
        return UnsafeAudit.Audit(bytes, RustLexer.Tokenize(bytes), RustKnowledge.Default);
    }

    private static Justification Only(string source) => Assert.Single(Audit(source)).Status;

    [Fact]
    public void Comment_directly_above_justifies_a_block() =>
        Assert.Equal(Justification.Justified, Only("fn f() {\n    // SAFETY: p is valid.\n    unsafe { g(p) };\n}\n"));

    [Fact]
    public void Comment_above_attributes_justifies_a_block() =>
        Assert.Equal(Justification.Justified, Only("fn f() {\n    // SAFETY: fine.\n    #[allow(unused)]\n    unsafe { g() };\n}\n"));

    [Fact]
    public void Comment_on_the_same_line_justifies_a_block() =>
        Assert.Equal(Justification.Justified, Only("fn f() {\n    let x = unsafe { g() }; // SAFETY: fine.\n}\n"));

    [Fact]
    public void Comment_above_the_let_statement_justifies_its_block() =>
        Assert.Equal(Justification.Justified, Only("fn f() {\n    // SAFETY: fine.\n    let x = unsafe {\n        g()\n    };\n}\n"));

    [Fact]
    public void Comment_above_a_return_whose_argument_is_unsafe_justifies_it()
    {
        // rust/kernel/error.rs:306 in 6.12: the comment group ends with the SAFETY paragraph.
        const string source = """
            pub fn from_err_ptr<T>(ptr: *mut T) -> Result<*mut T> {
                if unsafe { bindings::IS_ERR(ptr as _) } {
                    // CAST: Casting a pointer to `*const crate::ffi::c_void` is always valid.
                    let const_ptr: *const crate::ffi::c_void = ptr.cast();
                    // SAFETY: The FFI function does not deref the pointer.
                    let err = unsafe { bindings::PTR_ERR(const_ptr) };
                    // CAST: If `IS_ERR()` returns `true`,
                    // which always fits in an `i16`.
                    //
                    // SAFETY: `IS_ERR()` ensures `err` is a
                    // negative value greater-or-equal to `-bindings::MAX_ERRNO`.
                    return Err(unsafe { Error::from_errno_unchecked(err as crate::ffi::c_int) });
                }
                Ok(ptr)
            }
            """;
        var sites = Audit(source);
        Assert.Equal(3, sites.Count);
        Assert.Equal(Justification.Missing, sites[0].Status); // the `if unsafe {` condition has no comment
        Assert.Equal(Justification.Justified, sites[1].Status);
        Assert.Equal(Justification.Justified, sites[2].Status);
        Assert.Equal(12, sites[2].Line);
    }

    [Fact]
    public void Regression_comment_after_an_attribute_above_the_statement_justifies()
    {
        // rust/kernel/error.rs:306 in 6.12 was reported unjustified: the statement starts with an
        // attribute, and the SAFETY comment stands between the attribute and `return`.
        const string source = "fn f() {\n    let err = 1;\n\n    #[allow(clippy::unnecessary_cast)]\n    // CAST: fine.\n    //\n    // SAFETY: `err` is valid.\n    return Err(unsafe { g(err) });\n}\n";
        Assert.Equal(Justification.Justified, Only(source));
    }

    [Fact]
    public void Regression_comment_above_a_let_with_a_struct_pattern_justifies()
    {
        // rust/kernel/list.rs:403 in 6.12 was reported unjustified: the `}` closing the struct pattern
        // `ListLinksFields { next, prev }` was taken for the end of the previous statement.
        const string source = "fn f(item: *mut L) {\n    // SAFETY: The caller promises that this pointer is not dangling.\n    let ListLinksFields { next, prev } = unsafe { *item };\n}\n";
        Assert.Equal(Justification.Justified, Only(source));
    }

    [Fact]
    public void Block_statement_before_an_unjustified_block_still_ends_the_statement() =>
        Assert.Equal(Justification.Missing, Only("fn f() {\n    // SAFETY: about the loop.\n    loop { h() }\n    unsafe { g() };\n}\n"));

    [Fact]
    public void Todo_comment_is_reported_as_todo() =>
        Assert.Equal(Justification.Todo, Only("fn f() {\n    // SAFETY: TODO.\n    unsafe { g() };\n}\n"));

    [Fact]
    public void Block_without_comment_is_unjustified() =>
        Assert.Equal(Justification.Missing, Only("fn f() {\n    h();\n    unsafe { g() };\n}\n"));

    [Fact]
    public void Comment_of_a_previous_statement_does_not_justify() =>
        Assert.Equal(Justification.Missing, Only("fn f() {\n    // SAFETY: about h.\n    h();\n    unsafe { g() };\n}\n"));

    [Fact]
    public void Comment_of_an_earlier_match_arm_does_not_justify_a_later_one()
    {
        var sites = Audit("fn f(x: u8) {\n    match x {\n        // SAFETY: arm one.\n        1 => unsafe { a() },\n        _ => unsafe { b() },\n    }\n}\n");
        Assert.Equal([Justification.Justified, Justification.Missing], sites.Select(s => s.Status));
    }

    [Fact]
    public void Unsafe_in_comments_and_strings_is_not_counted() =>
        Assert.Empty(Audit("// unsafe { x }\n/* unsafe fn f() */\nconst S: &str = \"unsafe { }\";\nconst R: &str = r#\"unsafe impl\"#;\n"));

    [Fact]
    public void Functions_impls_traits_and_pointer_types_are_told_apart()
    {
        var sites = Audit("""
            /// Does it.
            ///
            /// # Safety
            ///
            /// `p` must be valid.
            pub unsafe fn documented(p: *mut u8) {}
            pub(crate) unsafe extern "C" fn callback(p: *mut u8) {}
            // SAFETY: T is Send.
            unsafe impl<T> Send for Foo<T> {}
            pub unsafe trait Bar {}
            type F = unsafe extern "C" fn(i32) -> i32;
            #[unsafe(no_mangle)]
            fn plain() {}
            """);
        Assert.Equal(
            [(UnsafeKind.Function, Justification.Documented), (UnsafeKind.Function, Justification.Undocumented),
             (UnsafeKind.Impl, Justification.Justified), (UnsafeKind.Trait, Justification.Undocumented)],
            sites.Select(s => (s.Kind, s.Status)));
    }

    [Fact]
    public void Doc_test_unsafe_is_found_with_its_source_line_and_kept_apart()
    {
        var bytes = Encoding.UTF8.GetBytes("/// Example:\n///\n/// ```\n/// # let p = 0;\n/// // SAFETY: fine.\n/// unsafe { g() };\n/// ```\n///\n/// ```text\n/// unsafe { not_rust() }\n/// ```\npub fn f() {}\n");
        var tokens = RustLexer.Tokenize(bytes);
        Assert.Empty(UnsafeAudit.Audit(bytes, tokens, RustKnowledge.Default));
        var site = Assert.Single(DocTests.Audit(bytes, tokens, RustKnowledge.Default));
        Assert.True(site.DocTest);
        Assert.Equal(6, site.Line);
        Assert.Equal(Justification.Justified, site.Status);
    }
    // Found by the fuzz test: each unsafe block looked at every token of its line for a comment, quadratic on one long line.
    [Fact]
    public async Task Twenty_thousand_unsafe_blocks_on_one_line_are_audited_in_linear_time()
    {
        var source = "fn f() {\n    let r = " + string.Concat(Enumerable.Repeat("unsafe { g(); ", 20_000)) + "// SAFETY: fine.\n}\n";
        var sites = await Task.Run(() => Audit(source)).WaitAsync(TimeSpan.FromSeconds(5)); // TimeoutException when quadratic
        Assert.Equal(20_000, sites.Count);
        Assert.All(sites, site => Assert.Equal(Justification.Justified, site.Status));
    }
}
