using Oxidation.Cli.Tests;

namespace Oxidation.Reports.Tests;

/// <summary>The Markdown report and the claims verdicts on the real 6.1 and 6.12 trees and the CVE snapshot.</summary>
[Collection("real database")]
public sealed class GoldenTests(RealDatabase db)
{
    private static readonly string Claims = Path.Combine(Golden.RepositoryRoot(), "examples", "claims", "state-of-rust.yaml");

    [Fact]
    public void Markdown_report_matches_the_golden_file()
    {
        var output = Path.Combine(db.Directory, "report-md");
        // --as-of fixes the end of Rust's CVE exposure (the snapshot's date) so the file does not change with the clock.
        var (exit, stdout, error) = CliRunner.Run(db.Directory, "--db", db.Path, "report", "--out", output, "--as-of", "2026-08-21");
        Assert.True(exit == 0, error);
        Assert.Contains("Wrote 20 files", stdout);
        Assert.Contains("no history mined yet", error);
        Golden.Assert("report.md", File.ReadAllText(Path.Combine(output, "report.md")));
    }

    [Fact]
    public void Check_output_matches_the_golden_file()
    {
        var (exit, stdout, error) = CliRunner.Run(db.Directory, "--db", db.Path, "check", Claims);
        Assert.True(exit == 0, error);
        Golden.Assert("check.txt", stdout);
    }

    [Fact]
    public void Verdicts_agree_with_values_checked_by_hand()
    {
        var (exit, stdout, _) = CliRunner.Run(db.Directory, "--db", db.Path, "check", Claims, "--json");
        Assert.Equal(0, exit);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        var byId = json.RootElement.EnumerateArray().ToDictionary(v => v.GetProperty("id").GetString()!, v => v);
        string Verdict(string id) => byId[id].GetProperty("verdictText").GetString()!;
        double Value(string id) => byId[id].GetProperty("value").GetDouble();
        // The two Rust PHY drivers of 6.12 (drivers/net/phy/ax88796b_rust.rs, qt2025.rs; found with ls).
        Assert.Equal("holds", Verdict("rust-phy-driver-6.12"));
        Assert.Equal(2, Value("rust-phy-driver-6.12"));
        // Rust share: kernel Rust code lines (cloc on the kernel's .rs files, vendored crates apart) over all code.
        Assert.Equal("holds", Verdict("rust-share-under-1pc-6.12"));
        Assert.InRange(Value("rust-share-under-1pc-6.12"), 0.03, 0.04);
        // Imported with the hybrid classifier (the default): 5,507 of 14,626 records = 37.65% as classified (counted with
        // python over cves classify --json; 5,410 with the rules and model before the second session of 2026-12-03);
        // corrected with the hybrid's out-of-fold classes of the 1080 calibration labels (the train rows of v1, v2 and
        // v4), which miss 61 of 401 memory-safety bugs and call 62 of 679 others one (counted with python from the label
        // files and the out-of-fold.json inside data/cve-model/model.zip): 37.65% + (61 - 62)/1080 = 37.56%, wholly
        // below 60–70%. With the rules and the 440 v1 labels (adjusted classify-and-count) it was 42.2% (37.4–47.6%).
        Assert.Equal("fails", Verdict("memory-safety-60-70pc"));
        Assert.Equal((5507.0 / 14626 + (61 - 62) / 1080.0) * 100, Value("memory-safety-60-70pc"), 2);
        // No drivers/android/*.rs and no drivers/gpu/drm/asahi in 6.12 (find finds none): Binder's Rust driver came in 6.18.
        Assert.Equal("fails", Verdict("binder-rust-newest"));
        Assert.Equal("fails", Verdict("apple-gpu-mainline"));
        Assert.Equal("fails", Verdict("nvme-rust-mainline"));
        // 19 headers: 15 #include lines in rust/bindings/bindings_helper.h + 4 in rust/uapi/uapi_helper.h (grep -c).
        Assert.Equal(19, Value("bindings-over-10-6.12"));
        // Not scanned / not mined: never guessed.
        Assert.Equal("cannot tell", Verdict("nova-6.15"));
        Assert.Equal("cannot tell", Verdict("rust-authors-over-50"));
        Assert.Equal("release 6.15 not scanned (scanned: 6.1.192, 6.12.118)", byId["nova-6.15"].GetProperty("evidence").GetString());
    }
}
