using System.Text;
using Oxidation.Counting;
using Oxidation.Rust;

namespace Oxidation.Tests.Rust;

public sealed class RustLexerTests
{
    private static List<(TokenKind Kind, string Text)> Lex(string source)
    {
        var bytes = Encoding.UTF8.GetBytes(source);
        return [.. RustLexer.Tokenize(bytes).Select(t => (t.Kind, Encoding.UTF8.GetString(t.Text(bytes))))];
    }

    [Fact]
    public void Nested_block_comments_close_at_the_matching_end()
    {
        var tokens = Lex("/* a /* b */ c */ x");
        Assert.Equal([(TokenKind.BlockComment, "/* a /* b */ c */"), (TokenKind.Ident, "x")], tokens);
    }

    [Theory]
    [InlineData("/// outer", DocKind.Outer)]
    [InlineData("//! inner", DocKind.Inner)]
    [InlineData("//// not doc", DocKind.None)]
    [InlineData("/** outer */", DocKind.Outer)]
    [InlineData("/*! inner */", DocKind.Inner)]
    [InlineData("/*** not doc */", DocKind.None)]
    [InlineData("/**/", DocKind.None)]
    public void Doc_comments_are_recognised(string comment, DocKind expected)
    {
        var bytes = Encoding.UTF8.GetBytes(comment);
        Assert.Equal(expected, Assert.Single(RustLexer.Tokenize(bytes)).Doc);
    }

    [Theory]
    [InlineData("r\"a \\\" b\"", "r\"a \\\"")]
    [InlineData("r#\"a \" /* b\"#", "r#\"a \" /* b\"#")]
    [InlineData("r###\"a \"## b\"###", "r###\"a \"## b\"###")]
    [InlineData("b\"x\\\"y\"", "b\"x\\\"y\"")]
    [InlineData("br#\"//\"#", "br#\"//\"#")]
    [InlineData("c\"abc\"", "c\"abc\"")]
    [InlineData("cr\"abc\"", "cr\"abc\"")]
    [InlineData("'\\''", "'\\''")]
    [InlineData("b'\"'", "b'\"'")]
    [InlineData("'\"'", "'\"'")]
    [InlineData("'\\u{1F600}'", "'\\u{1F600}'")]
    [InlineData("'é'", "'é'")]
    public void Literals_are_single_tokens(string source, string first) =>
        Assert.Equal((TokenKind.Literal, first), Lex(source)[0]);

    [Fact]
    public void Lifetimes_are_not_character_literals()
    {
        var tokens = Lex("fn f<'a>(x: &'a str) -> &'static str { 'b' }");
        Assert.Contains((TokenKind.Lifetime, "'a"), tokens);
        Assert.Contains((TokenKind.Lifetime, "'static"), tokens);
        Assert.Contains((TokenKind.Literal, "'b'"), tokens);
    }

    [Fact]
    public void Comment_markers_inside_strings_are_text()
    {
        var stats = RustLexer.CountLines(Encoding.UTF8.GetBytes("let s = \"/* not a comment\";\nlet t = 1; // real\n// only comment\n\n"));
        Assert.Equal(new LineStats(2, 1, 1), stats);
    }

    [Fact]
    public void A_multi_line_string_is_code_on_every_line_and_blank_lines_stay_blank()
    {
        var stats = RustLexer.CountLines(Encoding.UTF8.GetBytes("let s = r#\"\n// inside\n\n\"#;\n"));
        Assert.Equal(new LineStats(3, 0, 1), stats);
    }

    [Fact]
    public void Raw_identifiers_are_identifiers() =>
        Assert.Equal((TokenKind.Ident, "r#type"), Lex("r#type")[0]);

    [Fact]
    public void Ranges_and_tuple_fields_are_not_floats()
    {
        Assert.Equal((TokenKind.Literal, "1"), Lex("1..2")[0]);
        Assert.Equal((TokenKind.Literal, "0"), Lex("x.0.1")[2]);
        Assert.Equal((TokenKind.Literal, "1.5e-3"), Lex("1.5e-3")[0]);
    }
}
