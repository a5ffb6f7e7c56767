using System.Text;

namespace Oxidation.Reports.Writers;

/// <summary>
/// The report as Markdown (GitHub tables); charts are linked as the SVG files written beside it. Every value from the data
/// (release names from a Makefile, paths, MAINTAINERS entries, CVE subjects, claims) goes through <see cref="Text"/> or
/// <see cref="Destination"/>, as the HTML writer encodes everything; only the sections' own prose (titles, "how this was
/// measured") is written as Markdown.
/// </summary>
public static class MarkdownReportWriter
{
    /// <summary>
    /// <paramref name="s"/> as literal text in CommonMark and GitHub's tables: a backslash before every ASCII punctuation
    /// character that can start markup (CommonMark 0.31, 2.4: any ASCII punctuation may be escaped so), line breaks as
    /// spaces so a value cannot start a block. To keep paths and ranges readable, a '_' between letters or digits (it cannot
    /// delimit emphasis there, 6.2), a '&lt;' that cannot open a tag or autolink (6.5, 6.6: those need a letter, '/', '!' or
    /// '?' next) and a '&amp;' that cannot start an entity (2.5) stay as they are.
    /// </summary>
    public static string Text(string s)
    {
        var md = new StringBuilder(s.Length + 8);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var next = i + 1 < s.Length ? s[i + 1] : ' ';
            var escape = c switch
            {
                '\\' or '`' or '*' or '[' or ']' or '|' or '~' => true,
                '_' => !(i > 0 && char.IsLetterOrDigit(s[i - 1]) && char.IsLetterOrDigit(next)),
                '<' => char.IsAsciiLetter(next) || next is '/' or '!' or '?',
                '&' => char.IsAsciiLetterOrDigit(next) || next == '#',
                _ => false,
            };
            if (c is '\r' or '\n')
            {
                md.Append(' ');
                continue;
            }
            if (escape)
                md.Append('\\');
            md.Append(c);
        }
        return md.ToString();
    }

    /// <summary>A link destination that cannot end early or break out: spaces, controls, parentheses, angle brackets, quotes and backslashes percent-encoded.</summary>
    public static string Destination(string url)
    {
        var md = new StringBuilder(url.Length);
        foreach (var c in url)
        {
            if (c <= ' ' || c == '\x7f' || c is '(' or ')' or '<' or '>' or '"' or '\'' or '\\' or '`')
                md.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else
                md.Append(c);
        }
        return md.ToString();
    }


    /// <summary>Renders the Markdown text; <paramref name="chartDirectory"/> is where chart links point (relative).</summary>
    public static string Render(ReportModel model, IReadOnlyList<Section> sections, string chartDirectory = "charts")
    {
        var md = new StringBuilder();
        md.Append("# The state of Rust in the Linux kernel\n\n")
          .Append("Measured by Oxidation from ").Append(Text(HtmlReportWriter.Describe(model))).Append(".\n");
        foreach (var s in sections)
        {
            md.Append("\n## ").Append(s.Title).Append("\n\n");
            foreach (var block in s.Blocks)
            {
                switch (block)
                {
                    case MissingNote m:
                        md.Append("> **Missing:** ").Append(Text(m.Text)).Append("\n\n");
                        break;
                    case Paragraph p:
                        md.Append(Text(p.Text)).Append("\n\n");
                        break;
                    case FiguresBlock f:
                        foreach (var (label, value, detail) in f.Figures)
                            md.Append("- **").Append(Text(label)).Append(":** ").Append(Text(value)).Append(" (").Append(Text(detail)).Append(")\n");
                        md.Append('\n');
                        break;
                    case ChartBlock c:
                        md.Append("![").Append(Text(c.Title)).Append("](").Append(Destination(chartDirectory + "/" + c.Id + ".svg")).Append(")\n\n");
                        break;
                    case TableBlock t:
                        if (t.Caption is not null)
                            md.Append("**").Append(Text(t.Caption)).Append("**\n\n");
                        if (t.Rows.Count == 0)
                        {
                            md.Append("(none)\n\n");
                            break;
                        }
                        md.Append("| ").AppendJoin(" | ", t.Header.Select(Text)).Append(" |\n|")
                          .AppendJoin("|", t.Header.Select((_, i) => t.Rows[0].Count > i && t.Rows[0][i].Numeric ? " ---: " : " --- ")).Append("|\n");
                        foreach (var row in t.Rows)
                            md.Append("| ").AppendJoin(" | ", row.Select(c => c.Link is null ? Text(c.Text) : $"[{Text(c.Text)}]({Destination(c.Link)})")).Append(" |\n");
                        md.Append('\n');
                        break;
                    default:
                        throw new InvalidOperationException($"no Markdown for {block.GetType().Name}");
                }
            }
            if (s.HowMeasured.Length > 0)
                md.Append("*How this was measured.* ").Append(s.HowMeasured).Append('\n');
        }
        return md.ToString();
    }
}
