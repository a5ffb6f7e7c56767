using System.Text.Json;
using Oxidation.CHeaders;
using Oxidation.Store;

namespace Oxidation.Cli.Tests;

/// <summary>Debian's 6.12 tarball scanned, then the 6.1 one (the order of the scans is not the order of the releases).</summary>
public sealed class CoverageDatabase : IDisposable
{
    public CoverageDatabase()
    {
        Work = Directory.CreateTempSubdirectory("oxidation-coverage-");
        Path = System.IO.Path.Combine(Work.FullName, "both.duckdb");
        foreach (var tree in new[] { ScannedMachines.Tree612, ScannedMachines.Tree61 })
        {
            var (exit, _, error) = CliRunner.Run(Work.FullName, "--db", Path, "scan", tree);
            if (exit != 0)
                throw new InvalidOperationException($"oxidation scan {tree} failed ({exit}): {error}");
        }
    }

    public DirectoryInfo Work { get; }

    public string Path { get; }

    public void Dispose() => Work.Delete(recursive: true);
}

/// <summary>
/// <c>oxidation coverage</c> on the real trees. The figures are those BindingCoverageTests checked by hand (grep on the unpacked
/// tarballs): 6.1.192 reaches 3 functions (krealloc, kfree, _printk), no struct and 7 macros; 6.12.118 91 of 11,975 functions, 27 of
/// 1,407 structs, 87 of 15,508 macros.
/// </summary>
public sealed class CoverageCommandTests(CoverageDatabase db) : IClassFixture<CoverageDatabase>
{
    private (int Exit, string Out, string Error) Run(params string[] args) => CliRunner.Run(db.Work.FullName, ["--db", db.Path, "coverage", .. args]);

    [Fact]
    public void Text_shows_every_release_oldest_first_then_the_headers_and_entries_of_the_newest()
    {
        var (exit, stdout, error) = Run("--top", "2");
        Assert.True(exit == 0, error);
        var lines = stdout.Split('\n');
        Assert.Equal("what Rust reaches of the C API bindgen reads, by release", lines[0]);
        Assert.Equal("    3/6606     0.0%     0/575     0.0%     7/9947     0.1%  6.1.192 (490 headers)", lines[2]);
        Assert.Equal("   91/11975    0.8%    27/1407    1.9%    87/15508    0.6%  6.12.118 (718 headers)", lines[3]);
        Assert.Equal("headers Rust reaches most in 6.12.118 (2 shown of 56 reached, of 718), in every release", lines[5]);
        Assert.Equal(["include/linux/phy.h", "not in the headers bindgen reads                                 6.1.192",
            "   16/269      5.9%     2/13     15.4%     4/57       7.0%  6.12.118"], lines[7..10]);
        Assert.Contains("MAINTAINERS entries Rust reaches most in 6.12.118 (2 shown of 19 reached", stdout);
        Assert.Contains("ETHERNET PHY LIBRARY\n", stdout);
        Assert.Contains(BindingCoverage.MeasurementNote + "\n", stdout);
    }

    [Fact]
    public void An_older_release_by_prefix_lists_its_own_headers()
    {
        var (exit, stdout, error) = Run("--release", "6.1", "--top", "1");
        Assert.True(exit == 0, error);
        // In 6.1 the most reached headers are gfp_types.h and kern_levels.h (2 macros each); by name, gfp_types.h first.
        Assert.Contains("headers Rust reaches most in 6.1.192 (1 shown of 7 reached, of 490), in every release\n", stdout);
        Assert.Contains("include/linux/gfp_types.h\n    0/0           -     0/0          -     2/74       2.7%  6.1.192\n", stdout);
    }

    [Fact]
    public void Json_holds_every_release_with_its_headers_and_entries()
    {
        var (exit, stdout, error) = Run("--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("6.12.118", root.GetProperty("release").GetString());
        var releases = root.GetProperty("releases").EnumerateArray().ToList();
        Assert.Equal(["6.1.192", "6.12.118"], releases.Select(r => r.GetProperty("release").GetString()));
        var total = releases[0].GetProperty("total");
        Assert.Equal((3, 6606, 0, 7), (total.GetProperty("functionsReached").GetInt32(), total.GetProperty("functions").GetInt32(),
            total.GetProperty("structsReached").GetInt32(), total.GetProperty("macrosReached").GetInt32()));
        var rbtree = releases[1].GetProperty("headers").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "include/linux/rbtree.h");
        Assert.Equal((23, 10), (rbtree.GetProperty("functions").GetInt32(), rbtree.GetProperty("functionsReached").GetInt32()));
        var slab = releases[0].GetProperty("subsystems").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "SLAB ALLOCATOR");
        Assert.Equal((1, 53, 2), (slab.GetProperty("headers").GetInt32(), slab.GetProperty("functions").GetInt32(), slab.GetProperty("functionsReached").GetInt32()));
    }

    [Fact]
    public void A_release_not_scanned_is_one_line_naming_the_scanned_ones()
    {
        var (exit, stdout, error) = Run("--release", "6.15");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"oxidation: error: release 6.15 is not scanned in {db.Path}; scanned: 6.1.192, 6.12.118\n", error);
    }

    [Fact]
    public void An_empty_database_is_one_line()
    {
        var path = System.IO.Path.Combine(db.Work.FullName, "empty-" + Guid.NewGuid().ToString("N")[..8] + ".duckdb");
        OxidationDatabase.Open(path).Dispose();
        var (exit, stdout, error) = CliRunner.Run(db.Work.FullName, "--db", path, "coverage");
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"oxidation: error: {path}: no release scanned with its C bindings; run oxidation scan first\n", error);
    }

    [Fact]
    public void The_stored_figures_equal_the_measure_over_the_whole_stored_reach()
    {
        using var database = OxidationDatabase.OpenReadOnly(db.Path);
        var history = ReachStore.CoverageHistory(database);
        Assert.Equal(2, history.Releases.Count);
        foreach (var lean in history.Releases)
        {
            var full = BindingCoverage.Of(ReachStore.Load(database, lean.Release)!);
            Assert.Equal(full.Total, lean.Total);
            Assert.Equal(full.Headers, lean.Headers);
            Assert.Equal(full.Subsystems, lean.Subsystems);
        }
    }
}
