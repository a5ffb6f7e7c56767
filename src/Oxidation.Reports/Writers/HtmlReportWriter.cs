using System.Net;
using System.Text;

namespace Oxidation.Reports.Writers;

/// <summary>The report as one self-contained HTML page: inline CSS and SVG, no script, no network.</summary>
public static class HtmlReportWriter
{
    private static readonly string Css = ReadResource("report.css");

    private static string ReadResource(string name)
    {
        using var stream = typeof(HtmlReportWriter).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"{name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>Renders the page.</summary>
    public static string Render(ReportModel model, IReadOnlyList<Section> sections)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<link rel=\"icon\" href=\"data:,\">\n")
            .Append("<title>The state of Rust in the Linux kernel — Oxidation</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<header>\n")
            .Append("<h1>The state of Rust in the Linux kernel</h1>\n")
            .Append("<p class=\"sub\">Measured by Oxidation from ").Append(E(Describe(model))).Append(".</p>\n<nav>");
        foreach (var s in sections)
            html.Append("<a href=\"#").Append(s.Id).Append("\">").Append(E(s.Title)).Append("</a>");
        html.Append("</nav>\n</header>\n<main>\n");
        foreach (var s in sections)
        {
            html.Append("<section id=\"").Append(s.Id).Append("\" data-section=\"").Append(s.Id).Append("\">\n<h2>").Append(E(s.Title)).Append("</h2>\n");
            foreach (var block in s.Blocks)
                Block(html, block);
            if (s.HowMeasured.Length > 0)
                html.Append("<p class=\"how\"><strong>How this was measured.</strong> ").Append(E(s.HowMeasured)).Append("</p>\n");
            html.Append("</section>\n");
        }
        html.Append("</main>\n<footer>Oxidation — every number on this page is computed from the kernel sources, its git history and the kernel CNA's CVE records; ")
            .Append("the same data is in report.md and data/*.json beside this page.</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>What the report was made from, in one line.</summary>
    public static string Describe(ReportModel model)
    {
        var parts = new List<string>();
        parts.Add(model.Releases.Count == 0 ? "no scanned release" : $"{model.Releases.Count} scanned release{(model.Releases.Count == 1 ? "" : "s")} ({string.Join(", ", model.Releases.Select(r => r.Release))})");
        parts.Add(model.Cves is null ? "no CVE records" : $"{model.Cves.Published:N0} published kernel CVE records");
        parts.Add(model.History is null ? "no mined history" : $"the history of {model.History.Releases.Count} releases");
        return string.Join(", ", parts);
    }

    private static void Block(StringBuilder html, Block block)
    {
        switch (block)
        {
            case MissingNote m:
                html.Append("<p class=\"missing\">").Append(E(m.Text)).Append("</p>\n");
                break;
            case Paragraph p:
                html.Append("<p>").Append(E(p.Text)).Append("</p>\n");
                break;
            case FiguresBlock f:
                html.Append("<div class=\"figures\">\n");
                foreach (var (label, value, detail) in f.Figures)
                {
                    html.Append("<div class=\"figure\"><div class=\"label\">").Append(E(label)).Append("</div><div class=\"value\">").Append(E(value))
                        .Append("</div><div class=\"detail\">").Append(E(detail)).Append("</div></div>\n");
                }
                html.Append("</div>\n");
                break;
            case ChartBlock c:
                html.Append("<figure>").Append(c.Svg).Append("</figure>\n");
                break;
            case TableBlock t:
                Table(html, t);
                break;
            default:
                throw new InvalidOperationException($"no HTML for {block.GetType().Name}");
        }
    }

    private static void Table(StringBuilder html, TableBlock t)
    {
        html.Append("<div class=\"table-wrap\"><table>");
        if (t.Caption is not null)
            html.Append("<caption>").Append(E(t.Caption)).Append("</caption>");
        html.Append("<thead><tr>");
        foreach (var h in t.Header)
            html.Append("<th>").Append(E(h)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in t.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append(cell.Numeric ? "<td class=\"num\">" : "<td>");
                var verdict = t.Header.Count > 0 && t.Header[0] == "Verdict" && ReferenceEquals(cell, row[0]);
                if (verdict)
                    html.Append("<span class=\"verdict-").Append(cell.Text.Replace(' ', '-')).Append("\">");
                if (cell.Link is not null)
                    html.Append("<a href=\"").Append(E(cell.Link)).Append("\">").Append(E(cell.Text)).Append("</a>");
                else
                    html.Append(E(cell.Text));
                if (verdict)
                    html.Append("</span>");
                html.Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table></div>\n");
    }
}
