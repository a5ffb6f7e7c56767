using System.Reflection;
using System.Text.RegularExpressions;
using Oxidation.Cves;
using Oxidation.History;
using Oxidation.Model;
using Oxidation.Store;

namespace Oxidation.Reports.Tests;

/// <summary>
/// docs/figures.md maps every figure to its function, its table and column and its docs section (issue 11, item 5).
/// These tests fail when it is stale: a column or function it names is gone, a link is broken, or the report shows a
/// headline figure the page has no row for.
/// </summary>
public sealed partial class FiguresDocTests
{
    private const string Header = "| figure | shown in | function | table.column | docs |";

    private const string GlanceSection = "Report: At a glance";

    /// <summary>A row of one of the page's tables, with the section it is under and its line number.</summary>
    private sealed record Row(string Section, int Line, string Figure, string ShownIn, string Function, string Column, string Docs);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]*\.[A-Z][A-Za-z0-9]*$")]
    private static partial Regex TypeMember();

    [GeneratedRegex(@"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")]
    private static partial Regex TableColumn();

    [GeneratedRegex(@"\]\(([^)#]+)(?:#([^)]*))?\)")]
    private static partial Regex Link();

    private static string DocsDirectory => Path.Combine(Golden.RepositoryRoot(), "docs");

    private static List<Row> Rows()
    {
        var lines = File.ReadAllLines(Path.Combine(DocsDirectory, "figures.md"));
        var rows = new List<Row>();
        string? section = null;
        var inTable = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..].Trim();
                inTable = false;
            }
            else if (line == Header)
            {
                inTable = true;
                i++; // the |---| line
            }
            else if (inTable && line.StartsWith('|'))
            {
                var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                Assert.True(cells.Length == 5, $"docs/figures.md:{i + 1}: {cells.Length} cells, not 5 (a | inside a cell?)");
                rows.Add(new Row(section!, i + 1, cells[0], cells[1], cells[2], cells[3], cells[4]));
            }
            else
            {
                inTable = false;
            }
        }
        return rows;
    }

    [Fact]
    public void The_page_has_a_table_for_each_report_section_and_json_output()
    {
        var sections = Rows().Select(r => r.Section).Distinct().ToList();
        // The report's sections as ReportDocument names them, and the four JSON outputs.
        var titles = ReportDocument.Build(Model(corrected: true)).Select(s => "Report: " + s.Title)
            .Concat(["JSON: `scan --json`", "JSON: `cves stats --json`", "JSON: `history --json`", "JSON: `coverage --json`"]);
        Assert.Empty(titles.Except(sections));
        Assert.True(Rows().Count > 80, $"only {Rows().Count} rows parsed");
    }

    [Fact]
    public void Every_table_column_named_exists_in_the_registry()
    {
        var columns = TableRegistry.All.SelectMany(t => t.Columns.Select(c => t.Name + "." + c.Name)).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var row in Rows())
        {
            var spans = CodeSpan().Matches(row.Column).Select(m => m.Groups[1].Value).ToList();
            if (spans.Count == 0 && row.Column != "—")
                problems.Add($"line {row.Line}: table.column cell '{row.Column}' names no `table.column` and is not —");
            foreach (var s in spans)
            {
                if (!TableColumn().IsMatch(s))
                    problems.Add($"line {row.Line}: `{s}` is not table.column");
                else if (!columns.Contains(s))
                    problems.Add($"line {row.Line}: `{s}` is not a column of TableRegistry.All");
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_function_named_exists()
    {
        // The core, the store and the reports: every type, public or internal, by its simple name.
        var types = new[] { typeof(ScanResult).Assembly, typeof(TableRegistry).Assembly, typeof(ReportDocument).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => !t.Name.StartsWith('<') && (t.IsPublic || t.IsNestedPublic || t.IsNotPublic || t.IsNestedAssembly))
            .ToLookup(t => t.Name, StringComparer.Ordinal);
        const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        var problems = new List<string>();
        var named = 0;
        foreach (var row in Rows())
        {
            foreach (var s in CodeSpan().Matches(row.Function).Select(m => m.Groups[1].Value))
            {
                named++;
                if (!TypeMember().IsMatch(s))
                {
                    problems.Add($"line {row.Line}: `{s}` is not Type.Member");
                    continue;
                }
                var (type, member) = (s[..s.IndexOf('.')], s[(s.IndexOf('.') + 1)..]);
                if (!types.Contains(type))
                    problems.Add($"line {row.Line}: no type {type} in Oxidation, Oxidation.Store or Oxidation.Reports");
                else if (!types[type].Any(t => t.GetMember(member, Any).Length > 0))
                    problems.Add($"line {row.Line}: {type} has no member {member}");
            }
        }
        Assert.Empty(problems);
        Assert.True(named > 100, $"only {named} functions named");
    }

    [Fact]
    public void Every_docs_link_reaches_a_file_and_heading()
    {
        var problems = new List<string>();
        var headings = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var row in Rows())
        {
            var links = Link().Matches(row.Docs).ToList();
            if (links.Count == 0)
                problems.Add($"line {row.Line}: no docs link");
            foreach (var link in links)
            {
                var file = Path.Combine(DocsDirectory, link.Groups[1].Value);
                if (!File.Exists(file))
                {
                    problems.Add($"line {row.Line}: {link.Groups[1].Value} does not exist");
                    continue;
                }
                if (!headings.TryGetValue(file, out var slugs))
                    headings[file] = slugs = [.. File.ReadLines(file).Where(l => l.StartsWith('#')).Select(l => Slug(l.TrimStart('#')))];
                if (link.Groups[2].Success && !slugs.Contains(link.Groups[2].Value))
                    problems.Add($"line {row.Line}: {link.Groups[1].Value} has no heading #{link.Groups[2].Value}");
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void Github_slugs_are_made_as_github_makes_them()
    {
        Assert.Equal("oxidation-scan---json", Slug(" `oxidation scan --json`"));
        Assert.Equal("the-share-corrected-for-the-classifiers-errors", Slug(" The share, corrected for the classifier's errors"));
        Assert.Equal("measures-one-definition-each-historymeasures-in-srcoxidationhistory", Slug(" Measures (one definition each: `HistoryMeasures` in src/Oxidation/History)"));
    }

    /// <summary>
    /// Every headline figure the report can show has a row under "Report: At a glance", and every row there said to be a
    /// headline figure is one the report shows. The labels come from <see cref="ReportDocument"/> itself, over a model
    /// holding a release, CVE statistics (corrected and not) and a mined history, so every branch of the list is taken.
    /// </summary>
    [Fact]
    public void Every_headline_figure_of_the_report_has_a_row()
    {
        var labels = new[] { true, false }.SelectMany(corrected => Headlines(Model(corrected))).ToHashSet(StringComparer.Ordinal);
        // Counted by hand in ReportDocument.AtAGlance: releases, Rust lines, share, units, unsafe, CVE share, changesets.
        Assert.Equal(7, labels.Count);
        var glance = Rows().Where(r => r.Section == GlanceSection).ToList();
        var documented = glance.Select(r => r.Figure).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(labels.Except(documented));
        var headlineRows = glance.Where(r => r.ShownIn.StartsWith("headline figure", StringComparison.Ordinal)).Select(r => r.Figure);
        Assert.Empty(headlineRows.Except(labels));
    }

    /// <summary>The golden report (real 6.1, 6.12 and CVE snapshot) shows headline figures that all have a row.</summary>
    [Fact]
    public void The_golden_reports_headline_figures_have_rows()
    {
        var report = File.ReadAllLines(Path.Combine(Golden.SourceDirectory(), "Golden", "report.md"));
        var glance = report.SkipWhile(l => l != "## At a glance").Skip(1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal));
        var labels = glance.Where(l => l.StartsWith("- **", StringComparison.Ordinal)).Select(l => l[4..l.IndexOf(":**", StringComparison.Ordinal)]).ToList();
        Assert.Equal(6, labels.Count); // no history mined in the golden database
        var documented = Rows().Where(r => r.Section == GlanceSection).Select(r => r.Figure).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(labels.Except(documented));
    }

    private static IEnumerable<string> Headlines(ReportModel model) =>
        ReportDocument.Build(model)[0].Blocks.OfType<FiguresBlock>().Single().Figures.Select(f => f.Label);

    /// <summary>
    /// A small model through the real functions: one release, CVE statistics of three records (with an empty calibration
    /// the corrected share is computed, without one it is not) and the history of no commits.
    /// </summary>
    private static ReportModel Model(bool corrected)
    {
        var release = new ReleaseSummary("6.12.118", "linux.tar.xz", 1000, 2, 100, 0, 1, 4, 3, 1, 1, 1);
        CveStatRow Cve(string id, string cls, bool memory) => new(id, 2025, "subject", cls, memory, "high", "c-only", ["drivers/x.c"]);
        var cves = CveStatistics.Compute([Cve("CVE-2025-1", "use-after-free", true), Cve("CVE-2025-2", "logic", false), Cve("CVE-2025-3", "deadlock", false)],
            0, null, new DateOnly(2026, 8, 21), calibration: corrected ? [] : null);
        var history = HistoryStatistics.Compute([], [], [("6.12", false)], partial: false);
        return new ReportModel("test.duckdb", [release], [new AreaLines("6.12.118", "scan", "abstractions", 2, 100)], [], [], [], [], new Oxidation.CHeaders.CoverageHistory([]),
            [new UnsafeGroup("abstractions", 4, 3, 1, 0, 0, 0, 0, 0)], [], [], cves, history, [], null);
    }

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens.</summary>
    private static string Slug(string heading) =>
        string.Concat(heading.Trim().ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')).Replace(' ', '-');
}
