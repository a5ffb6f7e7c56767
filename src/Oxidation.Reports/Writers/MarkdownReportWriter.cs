using System.Text;

namespace Oxidation.Reports.Writers;

/// <summary>The report as Markdown (GitHub tables); charts are linked as the SVG files written beside it.</summary>
public static class MarkdownReportWriter
{
    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>Renders the Markdown text; <paramref name="chartDirectory"/> is where chart links point (relative).</summary>
    public static string Render(ReportModel model, IReadOnlyList<Section> sections, string chartDirectory = "charts")
    {
        var md = new StringBuilder();
        md.Append("# The state of Rust in the Linux kernel\n\n")
          .Append("Measured by Oxidation from ").Append(HtmlReportWriter.Describe(model)).Append(".\n");
        foreach (var s in sections)
        {
            md.Append("\n## ").Append(s.Title).Append("\n\n");
            foreach (var block in s.Blocks)
            {
                switch (block)
                {
                    case MissingNote m:
                        md.Append("> **Missing:** ").Append(m.Text).Append("\n\n");
                        break;
                    case Paragraph p:
                        md.Append(p.Text).Append("\n\n");
                        break;
                    case FiguresBlock f:
                        foreach (var (label, value, detail) in f.Figures)
                            md.Append("- **").Append(label).Append(":** ").Append(value).Append(" (").Append(detail).Append(")\n");
                        md.Append('\n');
                        break;
                    case ChartBlock c:
                        md.Append("![").Append(c.Title).Append("](").Append(chartDirectory).Append('/').Append(c.Id).Append(".svg)\n\n");
                        break;
                    case TableBlock t:
                        if (t.Caption is not null)
                            md.Append("**").Append(Escape(t.Caption)).Append("**\n\n");
                        if (t.Rows.Count == 0)
                        {
                            md.Append("(none)\n\n");
                            break;
                        }
                        md.Append("| ").AppendJoin(" | ", t.Header.Select(Escape)).Append(" |\n|")
                          .AppendJoin("|", t.Header.Select((_, i) => t.Rows[0].Count > i && t.Rows[0][i].Numeric ? " ---: " : " --- ")).Append("|\n");
                        foreach (var row in t.Rows)
                            md.Append("| ").AppendJoin(" | ", row.Select(c => c.Link is null ? Escape(c.Text) : $"[{Escape(c.Text)}]({c.Link})")).Append(" |\n");
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
