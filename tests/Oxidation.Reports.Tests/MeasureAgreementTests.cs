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
}
