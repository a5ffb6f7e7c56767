using Oxidation.Store;

namespace Oxidation.Reports.Tests;

/// <summary>Definitions checked on real data (6.1, 6.12 and the CVE snapshot): the registry's keys identify rows; the report's abstraction modules are the scan's.</summary>
[Collection("real database")]
public sealed class RealDataDefinitionTests(RealDatabase real)
{
    [Fact]
    public void Declared_keys_are_unique_on_the_real_trees_and_the_cve_snapshot()
    {
        using var db = OxidationDatabase.OpenReadOnly(real.Path);
        var duplicated = new List<string>();
        var empty = new List<string>();
        var checkedTables = 0;
        foreach (var t in TableRegistry.All.Where(t => t.Key.Count > 0 && t.Group is not TableGroup.History))
        {
            var key = string.Join(", ", t.Key);
            var rows = Convert.ToInt64(db.Query($"SELECT count(*) FROM {t.Name}")[0][0], System.Globalization.CultureInfo.InvariantCulture);
            var distinct = Convert.ToInt64(db.Query($"SELECT count(*) FROM (SELECT DISTINCT {key} FROM {t.Name})")[0][0], System.Globalization.CultureInfo.InvariantCulture);
            if (rows == 0)
            {
                empty.Add(t.Name);
                continue;
            }
            if (rows != distinct)
                duplicated.Add($"{t.Name} ({key}): {rows - distinct} of {rows} rows repeat a key, e.g. " + string.Join("; ",
                    db.Query($"SELECT * FROM {t.Name} WHERE ({key}) IN (SELECT ({key}) FROM {t.Name} GROUP BY ALL HAVING count(*) > 1) ORDER BY ALL LIMIT 4")
                        .Select(r => string.Join(" | ", r.Select(v => v is string x && x.Length > 60 ? x[..60] : v)))));
            checkedTables++;
        }
        Assert.True(duplicated.Count == 0, string.Join("\n", duplicated));
        // The snapshot has no record the import skips, and the trees here are tarballs, whose files have no blob id for
        // the file cache (its key is checked on the release repository, FileCacheTests and ReleaseRepositoryTests); every
        // other keyed table has rows here.
        Assert.Equal(["cve_problems", "file_results"], empty);
        Assert.Equal(TableRegistry.All.Count(t => t.Key.Count > 0 && t.Group is not TableGroup.History) - 2, checkedTables);
    }

    /// <summary>
    /// The abstraction modules of the report are the scan's (one function, RustAnalyzer.AbstractionModule): 26 in 6.12
    /// (tar -t of the tarball: the distinct first components of rust/kernel/**.rs without .rs, alloc … workqueue; the
    /// JSON lists them under rust.bindings.abstractions).
    /// </summary>
    [Fact]
    public void The_reports_abstraction_modules_are_the_scans()
    {
        using var db = OxidationDatabase.OpenReadOnly(real.Path);
        var model = ReportBuilder.Build(db);
        foreach (var release in model.Releases)
        {
            using var json = System.Text.Json.JsonDocument.Parse((string)db.Query("SELECT json FROM releases WHERE release = $1", release.Release)[0][0]!);
            var scanned = json.RootElement.GetProperty("rust").GetProperty("bindings").GetProperty("abstractions").EnumerateArray()
                .Select(a => $"{a.GetProperty("module").GetString()} {a.GetProperty("files").GetInt64()} {a.GetProperty("code").GetInt64()}").ToList();
            Assert.Equal(scanned, model.Abstractions.Where(a => a.Release == release.Release).Select(a => $"{a.Module} {a.Files} {a.Code}"));
            Assert.Equal(scanned.Count, release.AbstractionModules);
            // Unsafe blocks justified: the report's counts and share are the scan's (UnsafeSummary.Justified).
            var audit = json.RootElement.GetProperty("rust").GetProperty("unsafe");
            Assert.Equal(audit.GetProperty("blocks").GetInt32(), release.UnsafeBlocks);
            Assert.Equal(audit.GetProperty("blocksJustified").GetInt32(), release.UnsafeBlocksJustified);
        }
        var newest = model.Releases.Single(r => r.Release.StartsWith("6.12.", StringComparison.Ordinal));
        Assert.Equal(26, newest.AbstractionModules);
        // 481 of 496 compiled unsafe blocks of 6.12.118 carry // SAFETY: (the sites of the scan JSON, counted with python).
        Assert.Equal(481.0 / 496, newest.JustifiedShare);
    }

    /// <summary>
    /// The report's unsafe tables are the scan's groups (UnsafeByGroup.Of), not a recount: 6.12.118's compiled sites
    /// counted with python over the scan JSON's rust.unsafe.sites (doc-tests apart), grouped by area and by unit.
    /// </summary>
    [Fact]
    public void The_reports_unsafe_groups_are_the_scans()
    {
        using var db = OxidationDatabase.OpenReadOnly(real.Path);
        var model = ReportBuilder.Build(db);
        static string Row(UnsafeGroup g) => $"{g.Name} {g.Blocks} {g.Justified} {g.Todo} {g.Missing} {g.Functions} {g.FunctionsDocumented} {g.Impls} {g.ImplsJustified}";
        Assert.Equal(["abstractions 492 477 12 3 151 96 94 85", "drivers 3 3 0 0 1 1 0 0", "subsystems 1 1 0 0 0 0 0 0"], model.UnsafeByArea.Select(Row));
        Assert.Equal(["drm_panic_qr 3 3 0 0 1 1 0 0", "kasan_test_rust 1 1 0 0 0 0 0 0"], model.UnsafeByUnit.Select(Row));
        var scan = ScanStore.Load(db, model.Newest!.Release)!;
        Assert.Equal(scan.Rust.Unsafe.ByArea.Sum(g => g.Blocks), scan.Rust.Unsafe.Blocks);
        Assert.Equal(scan.Rust.Unsafe.ByArea.Sum(g => g.ImplsJustified), scan.Rust.Unsafe.ImplsJustified);
        // The stored unsafe_sites rows (what the unsafe_sites claim form counts) say the same per area.
        var stored = db.Query("SELECT area, count(*) FILTER (kind = 'block'), count(*) FILTER (kind = 'block' AND status = 'justified'), count(*) FILTER (kind = 'impl' AND status = 'justified') "
            + "FROM unsafe_sites WHERE release = $1 AND NOT doc_test GROUP BY area ORDER BY area", scan.Release).Select(r => $"{r[0]} {r[1]} {r[2]} {r[3]}");
        Assert.Equal(scan.Rust.Unsafe.ByArea.Select(g => $"{g.Name} {g.Blocks} {g.BlocksJustified} {g.ImplsJustified}"), stored);
    }
}
