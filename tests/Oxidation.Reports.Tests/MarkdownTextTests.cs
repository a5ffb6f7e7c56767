using System.Net;
using CsCheck;
using Markdig;
using Oxidation.Reports.Writers;

namespace Oxidation.Reports.Tests;

/// <summary>Values from the data written into report.md stay text, as index.html shows them (issue 10, item 20).</summary>
public sealed class MarkdownTextTests
{
    /// <summary>GitHub's dialect: CommonMark with tables, strikethrough, autolinks and task lists (not Markdig's other extras).</summary>
    internal static readonly MarkdownPipeline Gfm = new MarkdownPipelineBuilder()
        .UsePipeTables().UseEmphasisExtras(Markdig.Extensions.EmphasisExtras.EmphasisExtraOptions.Strikethrough).UseAutoLinks().UseTaskLists().Build();

    // Every ASCII character that can start markup, the letters that make tags, entities and links, and spaces.
    private static readonly Gen<string> Hostile = Gen.String[Gen.Char["ab1_*[]()<>&#;!/\\`|~:-+=. "], 0, 40];

    /// <summary>What the HTML writer shows for <paramref name="s"/>, in Markdig's spelling of the same escapes.</summary>
    private static string AsHtmlText(string s) => WebUtility.HtmlEncode(s).Replace("&#39;", "'", StringComparison.Ordinal);

    [Fact]
    public void Any_value_in_a_paragraph_renders_as_exactly_its_text()
    {
        // Written between fixed text, as every value is (it never starts a line).
        Hostile.Sample(s => Assert.Equal($"<p>Z{AsHtmlText(s)}Z</p>\n", Markdown.ToHtml("Z" + MarkdownReportWriter.Text(s) + "Z", Gfm)));
    }

    [Fact]
    public void Any_value_in_a_table_cell_renders_as_exactly_its_text()
    {
        Hostile.Sample(s =>
        {
            var html = Markdown.ToHtml($"| h |\n| --- |\n| Z{MarkdownReportWriter.Text(s)}Z |\n", Gfm);
            var cell = html[(html.IndexOf("<td>", StringComparison.Ordinal) + 4)..html.IndexOf("</td>", StringComparison.Ordinal)];
            Assert.Equal($"Z{AsHtmlText(s)}Z", cell);
        });
    }

    [Fact]
    public void Any_link_destination_stays_one_link()
    {
        Hostile.Sample(s =>
        {
            var html = Markdown.ToHtml($"[x](https://example.org/{MarkdownReportWriter.Destination(s)}) Z", Gfm);
            return html.StartsWith("<p><a href=\"https://example.org/", StringComparison.Ordinal) && html.EndsWith("\">x</a> Z</p>\n", StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("6.1<script>alert(1)</script>", "6.1\\<script>alert(1)\\</script>")]
    [InlineData("rust/kernel/init/__internal.rs", "rust/kernel/init/\\_\\_internal.rs")]
    [InlineData("rust_minimal", "rust_minimal")]
    [InlineData("RUST [ALLOC]", "RUST \\[ALLOC\\]")]
    [InlineData("< 50", "< 50")]
    [InlineData("AT&T &amp; & so", "AT\\&T \\&amp; & so")]
    [InlineData("a|b\nc", "a\\|b c")]
    public void Text_escapes_only_what_could_be_markup(string value, string expected) =>
        Assert.Equal(expected, MarkdownReportWriter.Text(value));
}
