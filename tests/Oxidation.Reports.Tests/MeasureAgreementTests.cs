using System.Text.Json;
using Oxidation.Cli.Tests;
using Oxidation.Git.Tests;
using Oxidation.Reports.Claims;
using Oxidation.Store;

namespace Oxidation.Reports.Tests;

/// <summary>
/// Each measure is one function in the core (issue 11): the figure of <c>oxidation history --json</c>, of the report
/// model and of a claim must be the same number. These fixtures are the cases where the earlier copies disagreed.
/// </summary>
public sealed class MeasureAgreementTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("oxidation-agree-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Release 6.1 has three Rust changesets: Carol (gmail.com: employer unknown) reviewed by Bob (Google); Ada writing
    /// as Ada@Intel.COM reviewed by Bob; Ada as ada@intel.com, not reviewed. By hand: 2 distinct authors (Ada's two
    /// spellings are one address), 2 of 3 reviewed, 1 of 3 reviewed by another employer (Carol's employer is unknown, so
    /// Bob cannot be said to be of another one), 1 of 3 by an unknown employer, 1 known employer (Intel).
    /// The SQL copy the claim form had said 3 authors and 2 of 3 reviewed by another employer.
    /// </summary>
    [Fact]
    public void History_measures_agree_between_the_json_the_report_model_and_the_claims()
    {
        using var repo = new KernelRepository();
        var c0 = repo.Commit(KernelRepository.Ada, "2022-10-01T10:00:00+00:00", "Initial import", ("Makefile", "VERSION = 6\n"));
        repo.Tag("v6.0", c0);
        repo.Commit(KernelRepository.Carol, "2022-10-02T10:00:00+00:00", "rust: add the kernel crate\n\nReviewed-by: Bob Builder <bob@google.com>\nSigned-off-by: Carol <carol@gmail.com>",
            ("rust/kernel/lib.rs", KernelRepository.KernelLib));
        repo.Commit(("Ada Author", "Ada@Intel.COM"), "2022-10-03T10:00:00+00:00", "rust: kernel: add g\n\nReviewed-by: Bob Builder <bob@google.com>",
            ("rust/kernel/lib.rs", KernelRepository.KernelLib + "pub fn g() {}\n"));
        var c3 = repo.Commit(KernelRepository.Ada, "2022-10-04T10:00:00+00:00", "rust: kernel: add h",
            ("rust/kernel/lib.rs", KernelRepository.KernelLib + "pub fn g() {}\npub fn h() {}\n"));
        repo.Tag("v6.1", c3);

        var db = Path.Combine(_dir, "h.duckdb");
        var (exit, stdout, error) = CliRunner.Run(_dir, "--db", db, "history", repo.Path, "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(stdout);
        var fromJson = json.RootElement.GetProperty("releases").EnumerateArray().Single(r => r.GetProperty("release").GetString() == "6.1");

        using var open = OxidationDatabase.OpenReadOnly(db);
        var model = ReportBuilder.Build(open, ClaimsFile.Parse("none.yaml", "claims: []\n")).History!.Releases.Single(r => r.Release == "6.1");

        var claims = ClaimsFile.Parse("agree.yaml", """
            claims:
              - { id: authors, claim: a, release: "6.1", query: { history: { measure: authors } }, expect: { atLeast: 0 } }
              - { id: reviewed, claim: b, release: "6.1", query: { history: { measure: reviewed_share } }, expect: { atLeast: 0 } }
              - { id: other, claim: c, release: "6.1", query: { history: { measure: other_employer_reviewed_share } }, expect: { atLeast: 0 } }
              - { id: unknown, claim: d, release: "6.1", query: { history: { measure: unknown_employer_share } }, expect: { atLeast: 0 } }
              - { id: employers, claim: e, release: "6.1", query: { history: { measure: employers } }, expect: { atLeast: 0 } }
            """);
        var claimed = ClaimChecker.Evaluate(open, claims).ToDictionary(v => v.Id, v => v.Value);

        Assert.Equal((2, 2, 2.0), (fromJson.GetProperty("authors").GetInt32(), model.Authors, claimed["authors"]));
        Assert.Equal((0.6667, 0.6667), (fromJson.GetProperty("reviewedShare").GetDouble(), model.ReviewedShare));
        Assert.Equal(66.667, claimed["reviewed"]!.Value, 3);
        Assert.Equal((0.3333, 0.3333), (fromJson.GetProperty("reviewedByOtherEmployerShare").GetDouble(), model.ReviewedByOtherEmployerShare));
        Assert.Equal(33.333, claimed["other"]!.Value, 3);
        Assert.Equal((0.3333, 0.3333), (fromJson.GetProperty("unknownEmployerShare").GetDouble(), model.UnknownEmployerShare));
        Assert.Equal(33.333, claimed["unknown"]!.Value, 3);
        Assert.Equal(1.0, claimed["employers"]);
        Assert.Equal(["Intel", "(Unknown)"], model.Employers.Select(e => e.Name));
    }
    /// <summary>
    /// A crate vendored at an odd path: <c>rust/quirk/deep/lib.rs</c> (MIT), not <c>rust/quirk/lib.rs</c> or
    /// <c>rust/quirk/src/lib.rs</c>. The scan made it vendored; the history engine's own copy of the rule looked only at
    /// those two paths and counted it as kernel Rust. Both now use VendoredCrates: the scan of the checkout and the
    /// history at its tag agree (2 code lines vendored: the SPDX line is a comment; by hand from the file).
    /// </summary>
    [Fact]
    public void A_vendored_crate_at_an_odd_path_is_vendored_in_the_scan_and_the_history()
    {
        using var repo = new KernelRepository();
        var c0 = repo.Commit(KernelRepository.Ada, "2022-10-01T10:00:00+00:00", "Initial import", ("Makefile", "VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n"));
        repo.Tag("v6.0", c0);
        repo.Commit(KernelRepository.Ada, "2022-10-02T10:00:00+00:00", "rust: add the kernel crate", ("rust/kernel/lib.rs", KernelRepository.KernelLib));
        var c2 = repo.Commit(KernelRepository.Ada, "2022-10-03T10:00:00+00:00", "rust: vendor quirk",
            ("rust/quirk/deep/lib.rs", "// SPDX-License-Identifier: Apache-2.0 OR MIT\n\npub struct Q;\npub struct R;\n"));
        repo.Tag("v6.1", c2);

        var (exit, stdout, error) = CliRunner.Run(_dir, "scan", repo.Path, "--json", "--no-store");
        Assert.True(exit == 0, error);
        using var scan = JsonDocument.Parse(stdout);
        var crate = Assert.Single(scan.RootElement.GetProperty("rust").GetProperty("vendoredCrates").EnumerateArray());
        Assert.Equal(("rust/quirk", 2), (crate.GetProperty("path").GetString(), crate.GetProperty("code").GetInt32()));

        (exit, stdout, error) = CliRunner.Run(_dir, "--db", Path.Combine(_dir, "v.duckdb"), "history", repo.Path, "--json");
        Assert.True(exit == 0, error);
        using var history = JsonDocument.Parse(stdout);
        var release = history.RootElement.GetProperty("releases").EnumerateArray().Single(r => r.GetProperty("release").GetString() == "6.1");
        Assert.Equal((1, 1), (release.GetProperty("rustChangesets").GetInt32(), release.GetProperty("vendoredChangesets").GetInt32()));
        var vendored = release.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("area").GetString() == "vendored");
        Assert.Equal(2, vendored.GetProperty("code").GetInt32());
    }
}
