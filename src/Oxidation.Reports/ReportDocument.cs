using System.Globalization;
using Oxidation.CHeaders;
using Oxidation.Cves;
using Oxidation.Releases;
using Oxidation.Reports.Charts;

namespace Oxidation.Reports;

/// <summary>A piece of a report section; the writers render each kind in their format.</summary>
public abstract record Block;

/// <summary>A paragraph of plain text.</summary>
public sealed record Paragraph(string Text) : Block;

/// <summary>A note that some data is missing, with the command that adds it.</summary>
public sealed record MissingNote(string Text) : Block;

/// <summary>A table cell: text, an optional link, right-aligned when numeric.</summary>
public sealed record Cell(string Text, string? Link = null, bool Numeric = false)
{
    /// <summary>A right-aligned number.</summary>
    public static Cell Number(double value, string format = "N0") => new(value.ToString(format, CultureInfo.InvariantCulture), null, true);

    /// <summary>A right-aligned percentage of a 0–1 share.</summary>
    public static Cell Percent(double share, string format = "0.0") => new((100 * share).ToString(format, CultureInfo.InvariantCulture) + "%", null, true);

    /// <summary>Plain text.</summary>
    public static implicit operator Cell(string text) => new(text);
}

/// <summary>A table with a header row.</summary>
public sealed record TableBlock(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<Cell>> Rows, string? Caption = null) : Block;

/// <summary>A chart (inline SVG) with the file name it is written to beside the Markdown report.</summary>
public sealed record ChartBlock(string Id, string Title, string Svg) : Block;

/// <summary>Headline figures shown as tiles.</summary>
public sealed record FiguresBlock(IReadOnlyList<(string Label, string Value, string Detail)> Figures) : Block;

/// <summary>One section of the report: its blocks and a short "how this was measured".</summary>
public sealed record Section(string Id, string Title, IReadOnlyList<Block> Blocks, string HowMeasured);

/// <summary>Turns the model into the sections every writer renders, so the HTML and Markdown reports say the same things.</summary>
public static class ReportDocument
{
    private static string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string P(double share, string format = "0.0") => (100 * share).ToString(format, CultureInfo.InvariantCulture) + "%";

    /// <summary>The nine sections, in order.</summary>
    public static List<Section> Build(ReportModel m) =>
        [AtAGlance(m), Growth(m), Changes(m), Units(m), Abstractions(m), Dependencies(m), Unsafe(m), People(m), Security(m), ClaimsSection(m)];

    private static Section AtAGlance(ReportModel m)
    {
        var blocks = new List<Block>();
        blocks.AddRange(m.Missing.Select(x => new MissingNote(x)));
        var n = m.Newest;
        var figures = new List<(string, string, string)>
        {
            ("Releases scanned", m.Releases.Count.ToString(CultureInfo.InvariantCulture), m.Releases.Count == 0 ? "none" : string.Join(", ", m.Releases.Select(r => r.Release))),
        };
        if (n is not null)
        {
            figures.Add(("Kernel Rust code lines", N(n.KernelRustCode), $"{N(n.KernelRustFiles)} files in {n.Release}; vendored crates {N(n.VendoredRustCode)} more"));
            figures.Add(("Rust share of all code", P(n.RustShare, "0.000"), $"of {N(n.AllCode)} code lines in {n.Release}"));
            figures.Add(("Rust units", N(n.Units), $"modules, drivers and samples in {n.Release}"));
            figures.Add(("Unsafe blocks justified", P(n.JustifiedShare), $"{N(n.UnsafeBlocksJustified)} of {N(n.UnsafeBlocks)} blocks carry // SAFETY: ({n.Release})"));
        }
        if (m.Cves is { } c)
            figures.Add(c.MemorySafetyCorrected is { } corrected
                ? ("Memory-safety share of kernel CVEs", P(corrected.Corrected),
                    $"95% interval {P(corrected.Low)}–{P(corrected.High)}, corrected for the classifier's errors measured on {N(corrected.Labelled)} hand labels; as classified {P(c.MemorySafety.Share)}; {N(c.Published)} published records")
                : ("Memory-safety share of kernel CVEs", P(c.MemorySafety.Share), $"bounds {P(c.MemorySafety.Lower)}–{P(c.MemorySafety.Upper)}; {N(c.Published)} published records"));
        if (m.History is { } h)
            figures.Add(("Rust changesets mined", N(h.Releases.Sum(r => r.RustChangesets)), $"{h.Releases.Count} releases of history"));
        blocks.Add(new FiguresBlock(figures));
        if (m.Releases.Count > 0)
        {
            blocks.Add(new TableBlock(["Release", "Source", "Kernel Rust files", "Kernel Rust code", "Vendored code", "All code", "Rust share", "Units", "Unsafe blocks", "Justified"],
                [.. m.Releases.Select(r => (IReadOnlyList<Cell>)[r.Release, r.Source, Cell.Number(r.KernelRustFiles), Cell.Number(r.KernelRustCode), Cell.Number(r.VendoredRustCode),
                    Cell.Number(r.AllCode), Cell.Percent(r.RustShare, "0.000"), Cell.Number(r.Units), Cell.Number(r.UnsafeBlocks), Cell.Percent(r.JustifiedShare)])]));
        }
        return new Section("glance", "At a glance", blocks,
            "Code lines are counted like cloc (docs/counting.md); the share divides kernel Rust code lines (vendored crates apart) by the code lines of every " +
            "programming language in the release. Units are the Rust modules a Makefile builds (docs/measures.md). Justified unsafe blocks carry a // SAFETY: " +
            "comment (doc-tests apart). The CVE share counts published records classed as memory-safety bugs (docs/cve-classes.md); the bounds count " +
            "low-confidence classifications both ways.");
    }

    private static Section Growth(ReportModel m)
    {
        var blocks = new List<Block>();
        if (m.Growth.Count == 0)
        {
            blocks.Add(new MissingNote("no Rust lines to show: scan a release (oxidation scan) or mine history (oxidation history)"));
        }
        else
        {
            var points = m.Growth.Select(g => (g.Release, g.Origin)).Distinct()
                .OrderBy(p => p.Release, Comparer<string>.Create(Release.CompareNames)).ThenBy(p => p.Origin, StringComparer.Ordinal).ToList();
            var areas = m.Growth.Select(g => g.Area).Distinct().OrderBy(a => a == "vendored" ? 1 : 0).ThenBy(a => a, StringComparer.Ordinal).ToList();
            var labels = points.Select(p => p.Origin == "scan" ? p.Release : "v" + p.Release + " (tag)").ToList();
            var series = areas.Select(a => new Series(a, [.. points.Select(p => (double)m.Growth.Where(g => g.Release == p.Release && g.Origin == p.Origin && g.Area == a).Sum(g => g.Code))])).ToList();
            blocks.Add(new ChartBlock("growth", "Rust code lines per release, by area", SvgChart.StackedBars("growth", "Rust code lines per release, by area", labels, series)));
            blocks.Add(new TableBlock(["Release", .. areas, "Total"],
                [.. points.Select((p, i) => (IReadOnlyList<Cell>)[labels[i], .. series.Select(s => Cell.Number(s.Values[i])), Cell.Number(series.Sum(s => s.Values[i]))])]));
        }
        return new Section("growth", "Growth", blocks,
            "Rust code lines per area (docs/measures.md: abstractions, bindings, macros, drivers, samples, …) of each scanned release, and, when history is " +
            "mined, of each vX.Y tag counted from its tree with the same counter. Vendored third-party crates are shown apart.");
    }

    private static Section Changes(ReportModel m)
    {
        var blocks = new List<Block>();
        if (m.Changes.Count == 0)
        {
            blocks.Add(new MissingNote(m.Releases.Count == 0 ? "no kernel tree scanned yet: run oxidation scan" : "one release stored: scan another (oxidation scan, oxidation releases) to see what changed"));
            return new Section("changes", "What changed in each release", blocks, "");
        }
        static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "—" : string.Join(", ", names);
        static string Signed(long n) => (n >= 0 ? "+" : "") + n.ToString("N0", CultureInfo.InvariantCulture);
        blocks.Add(new TableBlock(["From", "To", "Units added", "Units removed", "Renamed", "Experimental flag dropped", "Abstraction modules added",
            "C headers added", "C helpers added", "Unsafe blocks", "Unjustified blocks", "MAINTAINERS entries added", "Kernel Rust code"],
            [.. m.Changes.Select(d => (IReadOnlyList<Cell>)[d.From, d.To, Names([.. d.UnitsAdded.Select(u => u.Name)]), Names([.. d.UnitsRemoved.Select(u => u.Name)]),
                Names([.. d.UnitsRenamed.Select(r => $"{r.From.Name} → {r.To.Name}")]), Names(d.ExperimentalDropped), Names(d.AbstractionsAdded),
                Cell.Number(d.HeadersAdded.Count), Cell.Number(d.HelpersAdded.Count), new Cell(Signed(d.Unsafe.Blocks.Delta), null, true),
                new Cell(Signed(d.Unsafe.BlocksUnjustified.Delta), null, true), Names(d.MaintainersAdded), new Cell(Signed(d.KernelRustCode.Delta), null, true)])]));
        foreach (var d in m.Changes)
        {
            blocks.Add(new TableBlock(["Area", d.From, d.To, "Change"],
                [.. d.Areas.Select(a => (IReadOnlyList<Cell>)[a.Area, Cell.Number(a.Code.From), Cell.Number(a.Code.To), new Cell(Signed(a.Code.Delta), null, true)])],
                $"Rust code lines per area, {d.From} → {d.To}"));
            if (d.NewUnjustified.Count > 0)
            {
                blocks.Add(new TableBlock(["File", d.From, d.To, "Lines"],
                    [.. d.NewUnjustified.Select(g => (IReadOnlyList<Cell>)[g.Path, Cell.Number(g.From), Cell.Number(g.To), string.Join(", ", g.Lines)])],
                    $"Files with more unjustified unsafe blocks, {d.From} → {d.To}"));
            }
        }
        return new Section("changes", "What changed in each release", blocks,
            "Each stored release against the one before it, as oxidation diff shows it (docs/releases.md): units matched by name, then Kconfig symbol, then " +
            "files; abstraction modules of the kernel crate; C headers of the bindgen closure and helpers for Rust by name; unsafe blocks of kernel Rust " +
            "(compiled code); MAINTAINERS entries covering Rust. The stored releases need not be consecutive kernel releases.");
    }

    private static Section Units(ReportModel m)
    {
        var blocks = new List<Block>();
        if (m.Releases.Count == 0)
        {
            blocks.Add(new MissingNote("no kernel tree scanned yet: run oxidation scan"));
        }
        else
        {
            var releases = m.Releases.Select(r => r.Release).ToList();
            var categories = new[] { "Rust-only", "counterpart of a C driver", "sample" };
            var series = categories.Select(c => new Series(c, [.. releases.Select(r => (double)m.Units.Count(u => u.Release == r && u.Category == c))])).ToList();
            blocks.Add(new ChartBlock("units", "Rust units per release", SvgChart.StackedBars("units", "Rust units per release", releases, series)));
            blocks.Add(new TableBlock(["Release", "Unit", "Kind", "Category", "Kconfig", "Experimental", "C counterpart", "Linked into", "Code", "Unsafe blocks", "Change"],
                [.. m.Units.Select(u => (IReadOnlyList<Cell>)[u.Release, u.Name, u.Kind, u.Category, u.Kconfig ?? "", u.Experimental ? "yes" : "no", u.Counterpart ?? "—",
                    u.LinkedInto ?? "", Cell.Number(u.Code), Cell.Number(u.UnsafeBlocks), u.Change])]));
            if (m.RemovedUnits.Count > 0)
                blocks.Add(new TableBlock(["Unit", "Last seen in", "Gone in"], [.. m.RemovedUnits.Select(r => (IReadOnlyList<Cell>)[r.Name, r.Release, r.RemovedIn])], "Removed units"));
        }
        return new Section("units", "Drivers and modules", blocks,
            "A unit is what a Makefile builds from Rust sources (a module, a driver, a sample, or an object linked into a C module), found from the module " +
            "macros and Kbuild goals; its Kconfig symbol, prompt and dependencies come from Kconfig. Experimental: the prompt or help says so or it " +
            "depends on EXPERT/BROKEN. A C counterpart is a C driver the Kconfig entry names or replaces. \"New\" is relative to the previous scanned release.");
    }

    private static Section Abstractions(ReportModel m)
    {
        var blocks = new List<Block>();
        if (m.Releases.Count == 0)
        {
            blocks.Add(new MissingNote("no kernel tree scanned yet: run oxidation scan"));
            return new Section("abstractions", "Abstractions and bindings", blocks, "");
        }
        var releases = m.Releases.Select(r => r.Release).ToList();
        blocks.Add(new ChartBlock("bindings", "Abstraction modules, bound C headers and C helpers per release", SvgChart.StackedBars("bindings",
            "Abstraction modules, bound C headers and C helpers per release", releases,
            [
                new Series("rust/kernel modules", [.. m.Releases.Select(r => (double)r.AbstractionModules)]),
                new Series("C headers for bindgen", [.. m.Releases.Select(r => (double)r.BindingsHeaders)]),
                new Series("rust_helper_* functions", [.. m.Releases.Select(r => (double)r.Helpers)]),
            ])));
        blocks.Add(new TableBlock(["Release", "rust/kernel modules", "C headers for bindgen", "rust_helper_* functions"],
            [.. m.Releases.Select(r => (IReadOnlyList<Cell>)[r.Release, Cell.Number(r.AbstractionModules), Cell.Number(r.BindingsHeaders), Cell.Number(r.Helpers)])]));
        var newest = m.Newest!.Release;
        blocks.Add(new TableBlock(["Module", "Files", "Code", "MAINTAINERS entries"],
            [.. m.Abstractions.Where(a => a.Release == newest).Select(a => (IReadOnlyList<Cell>)[a.Module, Cell.Number(a.Files), Cell.Number(a.Code), string.Join("; ", a.Entries)])],
            $"Rust abstractions (rust/kernel) in {newest}"));
        blocks.Add(new TableBlock(["Header", "Included from", "First scanned in"],
            [.. m.Headers.Where(h => h.Release == newest).Select(h => (IReadOnlyList<Cell>)[h.Path, h.IncludedFrom,
                m.Headers.Where(x => x.Path == h.Path).Select(x => x.Release).OrderBy(x => x, Comparer<string>.Create(Release.CompareNames)).First()])],
            $"C headers given to bindgen in {newest}"));
        return new Section("abstractions", "Abstractions and bindings", blocks,
            "Modules are the first path component under rust/kernel; MAINTAINERS entries cover their files with get_maintainer.pl's rules. Headers are the " +
            "#include lines of rust/bindings/bindings_helper.h and rust/uapi/uapi_helper.h; helpers are the rust_helper_* functions in rust/*.c and rust/helpers/.");
    }

    private static Section Dependencies(ReportModel m)
    {
        var blocks = new List<Block>();
        var history = m.Coverage;
        if (history.Newest is not { } newest)
        {
            blocks.Add(new MissingNote("no release scanned with its C bindings yet: run oxidation scan (a tree with rust/bindings/bindings_helper.h)"));
            return new Section("dependencies", "What Rust depends on", blocks, BindingCoverage.MeasurementNote);
        }
        string[] kinds = ["functions", "structs", "macros"];
        var labels = history.Releases.SelectMany(r => kinds.Select(k => $"{r.Release} {k}")).ToList();
        var values = history.Releases.SelectMany(r => BindingCoverage.Kinds.Select(k => 100 * (r.Total.Share(k) ?? 0))).ToList();
        blocks.Add(new ChartBlock("coverage", "Share of the C API bindgen reads that Rust reaches, per release", SvgChart.HorizontalBars("coverage",
            "Share of the C API bindgen reads that Rust reaches, per release", labels, values, unit: "%")));
        static Cell Reached(CoverageRow r, string kind)
        {
            var (declared, reached) = r.Of(kind);
            var share = r.Share(kind) is { } s ? " (" + (100 * s).ToString("0.0", CultureInfo.InvariantCulture) + "%)" : "";
            return new Cell($"{N(reached)} of {N(declared)}{share}", null, true);
        }
        blocks.Add(new TableBlock(["Release", "Headers", "Functions reached", "Structs reached", "Macros reached"],
            [.. history.Releases.Select(r => (IReadOnlyList<Cell>)[r.Release, Cell.Number(r.Total.Headers), .. BindingCoverage.Kinds.Select(k => Reached(r.Total, k))])],
            "Functions, structs and macros of the headers bindgen reads, and how many Rust reaches"));
        var earlier = history.Releases.Take(history.Releases.Count - 1).ToList();
        TableBlock Top(string what, string plural, bool perHeader, IEnumerable<CoverageRow> rows, int reachedCount, int of) =>
            new([what, .. (perHeader ? Array.Empty<string>() : ["Headers"]), "Functions reached", "Structs reached", "Macros reached", .. earlier.Select(e => "Reached in " + e.Release)],
                [.. rows.Select(row => (IReadOnlyList<Cell>)[row.Name, .. (perHeader ? Array.Empty<Cell>() : [Cell.Number(row.Headers)]), .. BindingCoverage.Kinds.Select(k => Reached(row, k)),
                    .. earlier.Select(e => e.Find(row.Name) is { } x ? Cell.Number(x.Reached) : new Cell("—", null, true))])],
                $"The {plural} Rust reaches most in {newest.Release} ({N(reachedCount)} of {N(of)} reached; the earlier releases' columns count " +
                "functions, structs and macros reached together, — where bindgen did not read it)");
        blocks.Add(Top("Header", "headers", true, newest.TopHeaders(15), newest.Headers.Count(h => h.Reached > 0), newest.Headers.Count));
        blocks.Add(Top("MAINTAINERS entry", "MAINTAINERS entries", false, newest.TopSubsystems(15), newest.Subsystems.Count(h => h.Reached > 0), newest.Subsystems.Count));
        return new Section("dependencies", "What Rust depends on", blocks, BindingCoverage.MeasurementNote);
    }

    private static Section Unsafe(ReportModel m)
    {
        var blocks = new List<Block>();
        if (m.Newest is not { } n)
        {
            blocks.Add(new MissingNote("no kernel tree scanned yet: run oxidation scan"));
            return new Section("unsafe", "Unsafe audit", blocks, "");
        }
        var areas = m.UnsafeByArea;
        blocks.Add(new ChartBlock("unsafe", $"Unsafe blocks by area in {n.Release}", SvgChart.StackedBars("unsafe", $"Unsafe blocks by area in {n.Release}",
            [.. areas.Select(a => a.Name)],
            [
                new Series("justified", [.. areas.Select(a => (double)a.Justified)]),
                new Series("SAFETY: TODO", [.. areas.Select(a => (double)a.Todo)]),
                new Series("no SAFETY comment", [.. areas.Select(a => (double)a.Missing)]),
            ])));
        static IReadOnlyList<Cell> Row(UnsafeGroup g) =>
            [g.Name, Cell.Number(g.Blocks), Cell.Number(g.Justified), Cell.Number(g.Todo), Cell.Number(g.Missing), Cell.Number(g.Functions), Cell.Number(g.FunctionsDocumented), Cell.Number(g.Impls), Cell.Number(g.ImplsJustified)];
        string[] header = ["", "Blocks", "Justified", "TODO", "Missing", "unsafe fn", "with # Safety", "unsafe impl", "justified"];
        blocks.Add(new TableBlock(["Area", .. header[1..]], [.. areas.Select(Row)], $"By area, {n.Release}"));
        blocks.Add(new TableBlock(["Unit", .. header[1..]], [.. m.UnsafeByUnit.Select(Row)], $"By unit, {n.Release}"));
        blocks.Add(new TableBlock(["Site", "Kind", "Status", "Area", "Unit"],
            [.. m.Unjustified.Select(s => (IReadOnlyList<Cell>)[new Cell($"{s.Path}:{s.Line}", s.Link), s.Kind, s.Status, s.Area, s.Unit ?? ""])],
            $"Unsafe blocks and impls without a justification in {n.Release} ({m.Unjustified.Count})"));
        return new Section("unsafe", "Unsafe audit", blocks,
            "Every `unsafe` token is classified by the lexer (block, fn, impl, trait, extern block); a block or impl is justified when a // SAFETY: comment " +
            "precedes it (attributes and blank lines allowed between), \"SAFETY: TODO\" is counted apart; an unsafe fn is documented when its doc comment has a " +
            "# Safety section. Doc-test code is left out. Links open the line in the stable tree at the release's tag.");
    }

    private static Section People(ReportModel m)
    {
        var blocks = new List<Block>();
        if (m.History is not { } h)
        {
            blocks.Add(new MissingNote("no history mined yet: run oxidation history REPO (a clone of the kernel)"));
            return new Section("people", "People and employers", blocks, "");
        }
        var releases = h.Releases.Select(r => r.Release).ToList(); // the unreleased tail is already labelled X.Y+
        blocks.Add(new ChartBlock("changesets", "Rust changesets per release", SvgChart.StackedBars("changesets", "Rust changesets per release", releases,
        [
            new Series("kernel Rust", [.. h.Releases.Select(r => (double)r.RustChangesets)]),
            new Series("vendored crates only", [.. h.Releases.Select(r => (double)r.VendoredChangesets)]),
        ])));
        blocks.Add(new TableBlock(["Release", "Changesets", "Lines +", "Lines −", "Authors", "Reviewed", "By another employer", "Unknown employer", "rust/ + include/", "Rust build fixes"],
            [.. h.Releases.Select((r, i) => (IReadOnlyList<Cell>)[releases[i], Cell.Number(r.RustChangesets), Cell.Number(r.RustAdded), Cell.Number(r.RustRemoved), Cell.Number(r.Authors),
                Cell.Percent(r.ReviewedShare), Cell.Percent(r.ReviewedByOtherEmployerShare), Cell.Percent(r.UnknownEmployerShare), Cell.Number(r.DualApiCommits), Cell.Number(r.RustBuildFixes)])]));
        var employers = h.Employers.Take(12).ToList();
        blocks.Add(new ChartBlock("employers", "Rust changesets by employer", SvgChart.HorizontalBars("employers", "Rust changesets by employer",
            [.. employers.Select(e => e.Name)], [.. employers.Select(e => (double)e.Changesets)])));
        static IReadOnlyList<IReadOnlyList<Cell>> Top(IEnumerable<History.HistoryCount> rows) =>
            [.. rows.Select(r => (IReadOnlyList<Cell>)[r.Name, Cell.Number(r.Changesets), Cell.Number(r.LinesChanged)])];
        blocks.Add(new TableBlock(["Developer", "Changesets", "Lines changed"], Top(h.TopDevelopersByChangesets), "Most active Rust developers by changesets"));
        blocks.Add(new TableBlock(["Developer", "Changesets", "Lines changed"], Top(h.TopDevelopersByLines), "Most active Rust developers by lines changed"));
        blocks.Add(new TableBlock(["Employer", "Changesets", "Lines changed"], Top(h.Employers), $"Employers (unknown share {P(h.UnknownEmployerShare)})"));
        blocks.Add(new TableBlock(["Reviewer", "Reviews and acks", ""], Top(h.Reviewers), "Reviewers (Reviewed-by, Acked-by)"));
        blocks.Add(new TableBlock(["Tester", "Tested-by", ""], Top(h.Testers), "Testers"));
        blocks.Add(new TableBlock(["C header", "Commits changing it with rust/"], [.. h.HeadersChangedWithRust.Take(20).Select(x => (IReadOnlyList<Cell>)[x.Header, Cell.Number(x.Commits)])],
            "The dual-API cost: C headers changed together with rust/"));
        return new Section("people", "People and employers", blocks,
            "From the mined git history (docs/history.md): a Rust changeset is a non-merge commit touching .rs files, rust/, or Rust lines of Kconfig and " +
            "Makefiles; authors with .mailmap applied; employers from the author's address with a dated gitdm-format map (unknown shown, never guessed); " +
            "reviewed means a Reviewed-by or Acked-by trailer.");
    }

    private static Section Security(ReportModel m)
    {
        var blocks = new List<Block>();
        if (m.Cves is not { } c)
        {
            blocks.Add(new MissingNote("no CVE records imported yet: run oxidation cves import PATH (the kernel CNA's vulns repository or an archive of it)"));
            return new Section("security", "Security", blocks, "");
        }
        blocks.Add(new ChartBlock("cve-years", "Memory-safety share of kernel CVEs per year, with bounds", SvgChart.HorizontalBars("cve-years",
            "Memory-safety share of kernel CVEs per year, with bounds", [.. c.ByYear.Select(y => y.Year.ToString(CultureInfo.InvariantCulture))],
            [.. c.ByYear.Select(y => 100 * y.MemorySafety.Share)], [.. c.ByYear.Select(y => (100 * y.MemorySafety.Lower, 100 * y.MemorySafety.Upper))], "%", 100)));
        static Cell[] Corrected(ShareEstimate? e) => e is null ? ["", "", ""] : [Cell.Percent(e.Corrected), Cell.Percent(e.Low), Cell.Percent(e.High)];
        blocks.Add(new TableBlock(["Year", "Records", "Memory safety", "Share", "Lower", "Upper", "Corrected", "95% low", "95% high"],
            [.. c.ByYear.Select(y => (IReadOnlyList<Cell>)[y.Year.ToString(CultureInfo.InvariantCulture), Cell.Number(y.Records), Cell.Number(y.MemorySafety.Count),
                Cell.Percent(y.MemorySafety.Share), Cell.Percent(y.MemorySafety.Lower), Cell.Percent(y.MemorySafety.Upper), .. Corrected(y.MemorySafetyCorrected)]),
             ["all", Cell.Number(c.Published), Cell.Number(c.MemorySafety.Count), Cell.Percent(c.MemorySafety.Share), Cell.Percent(c.MemorySafety.Lower), Cell.Percent(c.MemorySafety.Upper),
                 .. Corrected(c.MemorySafetyCorrected)]],
            "Memory safety as classified (lower and upper: low-confidence classifications counted both ways) and corrected for the classifier's measured errors, with its 95% interval"));
        var classes = c.ByClass.ToList();
        blocks.Add(new ChartBlock("cve-classes", "Kernel CVEs by bug class", SvgChart.HorizontalBars("cve-classes", "Kernel CVEs by bug class",
            [.. classes.Select(x => x.Name)], [.. classes.Select(x => (double)x.Records)])));
        blocks.Add(new TableBlock(["Class", "Records", "Share"],
            [.. classes.Select(x => (IReadOnlyList<Cell>)[x.Name, Cell.Number(x.Records), Cell.Percent(c.ShareOf(x))])]));
        if (c.Density is { } d)
        {
            blocks.Add(new TableBlock(["Language", "Records", "Code lines", "Per million lines", "Lower", "Upper", "Records in " + d.Release, "Per million (in release)"],
                [.. d.Rows.Select(r => (IReadOnlyList<Cell>)[r.Language, Cell.Number(r.Records), Cell.Number(r.Code), Cell.Number(r.PerMillionLines, "0.0"), Cell.Number(r.Lower, "0.0"),
                    Cell.Number(r.Upper, "0.0"), Cell.Number(r.RecordsInRelease), Cell.Number(r.PerMillionLinesInRelease, "0.0")])],
                $"CVE density against the code lines of {d.Release} ({d.Rule}); Rust exposure {d.RustExposureYears.ToString("0.0", CultureInfo.InvariantCulture)} years from {d.RustExposureFrom} to {d.AsOf}"));
        }
        blocks.Add(new TableBlock(["CVE", "Year", "Class", "Subject", "Files"],
            [.. c.RustRecords.Select(r => (IReadOnlyList<Cell>)[new Cell(r.Id, $"https://www.cve.org/CVERecord?id={r.Id}"), r.Year.ToString(CultureInfo.InvariantCulture), r.Class, r.Subject, string.Join(", ", r.Files)])],
            $"CVEs fixing Rust code ({c.RustRecords.Count})"));
        return new Section("security", "Security", blocks,
            "Published records of the kernel CNA, classed by rules over their titles and descriptions where the rules are certain and by a learned text model " +
            "for the rest (docs/cve-classes.md). The corrected share is the difference estimator (prediction-powered inference): the share as classified, " +
            $"plus the mean of (hand label − classification) over {(c.MemorySafetyCorrected?.Labelled ?? 0).ToString("N0", CultureInfo.InvariantCulture)} records of random samples labelled by hand " +
            "(for records the model was trained on, its cross-validated classes), with a bootstrap 95% interval. A record's language is the language of the files its fix touched. Density divides records by code " +
            "lines with exact Poisson intervals; Rust's exposure is short, so its interval is wide.");
    }

    private static Section ClaimsSection(ReportModel m)
    {
        var blocks = new List<Block>
        {
            new Paragraph($"{m.Claims.Count} claims from {m.ClaimsSource}: " +
                string.Join(", ", m.Claims.GroupBy(v => v.VerdictText).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}")) + "."),
            new TableBlock(["Verdict", "Claim", "Expected", "Measured"],
                [.. m.Claims.Select(v => (IReadOnlyList<Cell>)[v.VerdictText, v.Claim, v.Expected ?? "", v.Evidence])]),
        };
        return new Section("claims", "Claims", blocks,
            "Each claim is a query over this database and an expected outcome (docs/claims.md). \"Cannot tell\" means the data present cannot decide: the " +
            "release was not scanned, nothing was imported or mined, or the bounds of a share straddle the expectation.");
    }
}
