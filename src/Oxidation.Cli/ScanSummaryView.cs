using Oxidation.Model;
using Spectre.Console;

namespace Oxidation.Cli;

/// <summary>The readable summary of a scan: a few tables, the details left to --json and the database.</summary>
internal static class ScanSummaryView
{
    public static void Render(IAnsiConsole console, ScanResult scan, string? database)
    {
        var rust = scan.Rust;
        var programming = scan.Languages.Where(l => ScanMeasures.IsProgramming(l.Kind)).Sum(l => l.Code);
        console.MarkupLineInterpolated($"[bold]Linux {scan.Release}[/] from {scan.Source}: {scan.Summary.Files:N0} files, {scan.Summary.Bytes / (1024 * 1024):N0} MiB");
        if (scan.Reused > 0)
            console.MarkupLineInterpolated($"  {scan.Reused:N0} files from the file cache (blobs counted before under the same name), {scan.Summary.Files - scan.Reused:N0} read");
        console.MarkupLineInterpolated($"Kernel Rust: {rust.Kernel.Files:N0} files, {rust.Kernel.Code:N0} lines of code ({100 * ScanMeasures.RustShare(rust.Kernel.Code, programming):0.00}% of code in programming languages); vendored crates: {rust.Vendored.Files:N0} files, {rust.Vendored.Code:N0} lines");
        foreach (var g in rust.Groups.Where(g => g.Group != "kernel"))
            console.MarkupLineInterpolated($"  {g.Group} crates: {(g.Crates.Count == 0 ? "none" : $"{string.Join(", ", g.Crates)} ({g.Files:N0} files, {g.Code:N0} lines)")}");
        console.WriteLine();

        var languages = new Table().Title("Languages (top 12 by code)").AddColumns("Language", "Files", "Code", "Comment", "Blank");
        foreach (var l in scan.Languages.Take(12))
            languages.AddRow(l.Language, N(l.Files), N(l.Code), N(l.Comment), N(l.Blank));
        console.Write(languages);

        var areas = new Table().Title("Rust by area").AddColumns("Area", "Files", "Code", "Comment", "Blank");
        foreach (var a in rust.Areas)
            areas.AddRow(a.Area, N(a.Files), N(a.Code), N(a.Comment), N(a.Blank));
        console.Write(areas);

        if (rust.Units.Count > 0)
        {
            var units = new Table().Title("Rust units").AddColumns("Unit", "Kind", "Kconfig", "Experimental", "Counterpart", "Code", "Files");
            foreach (var u in rust.Units)
                units.AddRow(Markup.Escape(u.Name), u.Kind, Markup.Escape(u.Kconfig ?? "-"), u.Experimental ? "yes" : "no",
                    Markup.Escape(u.Counterpart ?? (u.LinkedInto is { } into && u.Kind == "linked" ? $"(linked into {into}.o)" : "Rust-only")), N(u.Code), Markup.Escape(string.Join(", ", u.Files)));
            console.Write(units);
        }

        var un = rust.Unsafe;
        var audit = new Table().Title("Unsafe audit (kernel Rust, compiled code)").AddColumns("What", "Count", "Justified");
        audit.AddRow("unsafe blocks", N(un.Blocks), $"{N(un.BlocksJustified)} with SAFETY ({100 * un.JustifiedShare:0.00}%), {N(un.BlocksTodo)} TODO, {N(un.BlocksUnjustified)} none");
        audit.AddRow("unsafe fn", N(un.Functions), $"{N(un.FunctionsDocumented)} with # Safety ({Share(un.FunctionsDocumented, un.Functions)})");
        audit.AddRow("unsafe impl", N(un.Impls), $"{N(un.ImplsJustified)} with SAFETY");
        audit.AddRow("unsafe trait", N(un.Traits), "");
        audit.AddRow("in doc-tests", $"{N(un.DocTests.Blocks)} blocks, {N(un.DocTests.Functions)} fn", "counted apart");
        console.Write(audit);
        var unjustified = un.Sites.Where(s => !s.DocTest && s.Kind == "block" && s.Status != "justified").ToList();
        if (unjustified.Count > 0)
        {
            console.MarkupLine("[bold]Unsafe blocks without a SAFETY comment[/] (first 15; all in --json):");
            foreach (var s in unjustified.Take(15))
                console.MarkupLineInterpolated($"  {s.Path}:{s.Line} ({s.Status})");
        }

        var b = rust.Bindings;
        console.MarkupLineInterpolated($"Bindings: {b.Headers.Count} headers fed to bindgen, {b.Helpers.Count} C helpers, {b.Abstractions.Count} kernel crate modules, {b.Subsystems.Count} header groups.");
        if (scan.Maintainers.Count > 0)
        {
            var m = new Table().Title("MAINTAINERS entries covering Rust files").AddColumns("Entry", "Status", "Rust files");
            foreach (var e in scan.Maintainers.OrderByDescending(e => e.RustFiles).Take(15))
                m.AddRow(Markup.Escape(e.Entry), Markup.Escape(e.Status ?? "-"), N(e.RustFiles));
            console.Write(m);
            console.MarkupLineInterpolated($"Rust files covered only by the general RUST entry: {rust.UncoveredFiles.Count}");
        }
        var notCounted = scan.Problems.Count(p => !p.Counted);
        console.MarkupLineInterpolated($"Problems: {scan.Problems.Count} ({notCounted} files not counted, {scan.Problems.Count - notCounted} counted with a note); binary files skipped: {scan.Summary.BinaryFiles}; links not followed: {scan.Summary.Links}.");
        if (database is not null)
            console.MarkupLineInterpolated($"Stored as release {scan.Release} in {database}.");
    }

    private static string N(long n) => n.ToString("N0");

    private static string Share(long part, long whole) => whole == 0 ? "-" : $"{100.0 * part / whole:0.00}%";
}
