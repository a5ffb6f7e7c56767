using Oxidation.Cves;
using Spectre.Console;

namespace Oxidation.Cli;

/// <summary>Tables for <c>oxidation cves stats</c>.</summary>
internal static class CveViews
{
    public static void RenderStats(IAnsiConsole console, CveStats stats)
    {
        var m = stats.MemorySafety;
        console.MarkupLineInterpolated($"[bold]{stats.Published:N0}[/] published records ({stats.Rejected:N0} rejected, not counted).");
        console.MarkupLineInterpolated($"Memory-safety bugs: [bold]{P(m.Share)}[/] ({m.Count:N0}) as classified; between {P(m.Lower)} and {P(m.Upper)} with low-confidence classifications counted both ways.");
        if (stats.MemorySafetyCorrected is { } ms && stats.PreventedBySafeRustCorrected is { } pr)
        {
            console.MarkupLineInterpolated($"Corrected for the classifier's measured errors ({ms.Labelled} hand-labelled records: it finds {P(ms.TruePositiveRate)} of the memory-safety bugs, calls {P(ms.FalsePositiveRate)} of the others one):");
            console.MarkupLineInterpolated($"  memory safety [bold]{P(ms.Corrected)}[/] (95% interval {P(ms.Low)}–{P(ms.High)}); preventable by safe Rust [bold]{P(pr.Corrected)}[/] ({P(pr.Low)}–{P(pr.High)}, as classified {P(pr.Raw)}).");
        }
        var years = new Table().Title("By year of publication").AddColumns("Year", "Records", "Memory safety", "Bounds", "Corrected", "95% interval", "Top classes");
        foreach (var y in stats.ByYear)
            years.AddRow($"{y.Year}", $"{y.Records:N0}", P(y.MemorySafety.Share), $"{P(y.MemorySafety.Lower)}–{P(y.MemorySafety.Upper)}",
                y.MemorySafetyCorrected is { } yc ? P(yc.Corrected) : "", y.MemorySafetyCorrected is { } yi ? $"{P(yi.Low)}–{P(yi.High)}" : "",
                Markup.Escape(string.Join(", ", y.Classes.Take(4).Select(c => $"{c.Key} {c.Value}"))));
        console.Write(years);
        var classes = new Table().Title("By class").AddColumns("Class", "Records", "Share");
        foreach (var c in stats.ByClass)
            classes.AddRow(c.Name, $"{c.Records:N0}", P(stats.ShareOf(c)));
        console.Write(classes);
        var dirs = new Table().Title("By subsystem (directories of the files the fixes touched; top 15)").AddColumns("Directory", "Records");
        foreach (var d in stats.BySecondDirectory.Take(15))
            dirs.AddRow(Markup.Escape(d.Name), $"{d.Records:N0}");
        console.Write(dirs);
        if (stats.ByMaintainersEntry.Count > 0)
        {
            var entries = new Table().Title($"By MAINTAINERS entry of Linux {stats.MaintainersRelease} (top 15)").AddColumns("Entry", "Records");
            foreach (var e in stats.ByMaintainersEntry.Take(15))
                entries.AddRow(Markup.Escape(e.Name), $"{e.Records:N0}");
            console.Write(entries);
        }
        var languages = new Table().Title("By language of the fixed files").AddColumns("Language", "Records");
        foreach (var l in stats.ByLanguage)
            languages.AddRow(l.Name, $"{l.Records:N0}");
        console.Write(languages);
        console.MarkupLine("[bold]Records whose fix touches Rust files[/]:");
        foreach (var r in stats.RustRecords)
            console.MarkupLineInterpolated($"  {r.Id} ({r.Class}): {r.Subject}");
        if (stats.Density is { } d2)
        {
            var density = new Table().Title($"Density, joined with Linux {d2.Release}").AddColumns("Language", "Records", "Code lines", "Per million lines", "95% interval", $"Records on files in {d2.Release}", "Per million lines", "95% interval");
            foreach (var row in d2.Rows)
                density.AddRow(row.Language, $"{row.Records:N0}", $"{row.Code:N0}", $"{row.PerMillionLines:0.0}", $"{row.Lower:0.0}–{row.Upper:0.0}",
                    $"{row.RecordsInRelease:N0}", $"{row.PerMillionLinesInRelease:0.0}", $"{row.LowerInRelease:0.0}–{row.UpperInRelease:0.0}");
            console.Write(density);
            console.MarkupLineInterpolated($"Rule: {d2.Rule}. Rust has existed for {d2.RustExposureYears:0.0} years (since {d2.RustExposureFrom}, to {d2.AsOf}); C for decades: compare rates with that in mind.");
        }
        else
        {
            console.MarkupLine("No tree scanned yet: run [bold]oxidation scan[/] for the density per million lines.");
        }
    }

    private static string P(double share) => $"{share * 100:0.0}%";
}
