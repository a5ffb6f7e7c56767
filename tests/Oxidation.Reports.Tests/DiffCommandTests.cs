using System.Text.Json;
using Oxidation.Cli.Tests;

namespace Oxidation.Reports.Tests;

/// <summary><c>oxidation diff</c> on the real database (Debian's 6.1.192 and 6.12.118 scanned from their tarballs);
/// the values are those <c>ReleaseDiffTests</c> checked against the trees.</summary>
[Collection("real database")]
public sealed class DiffCommandTests(RealDatabase db)
{
    private (int Exit, string Out, string Error) Run(params string[] args) => CliRunner.Run(db.Directory, ["--db", db.Path, .. args]);

    [Fact]
    public void Json_names_the_units_helpers_and_entries_new_in_6_12()
    {
        var (exit, stdout, error) = Run("diff", "6.1", "6.12", "--json");
        Assert.True(exit == 0, error);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("6.1.192", root.GetProperty("from").GetString());
        Assert.Equal("6.12.118", root.GetProperty("to").GetString());
        Assert.Equal(["drm_panic_qr", "kasan_test_rust", "qt2025_phy", "rnull_mod", "rust_asix_phy", "rust_print"],
            root.GetProperty("unitsAdded").EnumerateArray().Select(u => u.GetProperty("name").GetString()));
        Assert.Contains(root.GetProperty("helpersAdded").EnumerateArray(), h => h.GetProperty("name").GetString() == "rust_helper_blk_mq_rq_to_pdu");
        Assert.Contains(root.GetProperty("maintainersAdded").EnumerateArray(), m => m.GetString() == "ASIX PHY DRIVER [RUST]");
        Assert.Equal(480, root.GetProperty("unsafe").GetProperty("blocks").GetProperty("delta").GetInt32());
    }

    [Fact]
    public void Text_shows_the_tables()
    {
        var (exit, stdout, error) = Run("diff", "oldest", "newest");
        Assert.True(exit == 0, error);
        Assert.StartsWith("6.1.192 → 6.12.118", stdout);
        Assert.Contains("  rnull_mod                module  BLK_DEV_RUST_NULL            experimental      48 code  drivers/block/rnull.rs", stdout);
        Assert.Contains("blocks                        16       496      +480", stdout);
        Assert.Contains("  rust/kernel/str.rs: 0 → 1 (lines 584)", stdout);
    }

    [Theory]
    [InlineData("6.9|6.12", "release 6.9 is not in {db}; stored: 6.1.192, 6.12.118")]
    [InlineData("6.1|7.3", "release 7.3 is not in {db}; stored: 6.1.192, 6.12.118")]
    [InlineData("6.12|6.12.118", "6.12 and 6.12.118 are the same stored release (6.12.118); name two different releases (stored: 6.1.192, 6.12.118)")]
    public void Bad_releases_are_one_line_errors(string args, string message)
    {
        var (exit, stdout, error) = Run(["diff", .. args.Split('|')]);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal("oxidation: error: " + message.Replace("{db}", db.Path, StringComparison.Ordinal), error.Trim());
    }
}
