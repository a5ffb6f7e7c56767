using Oxidation.Cli.Tests;

namespace Oxidation.Reports.Tests;

/// <summary>The <c>milestone</c> claim form and <c>oxidation milestones</c> on the real database (6.1.192 and 6.12.118 stored):
/// the first Rust drivers not marked experimental (qt2025_phy, rust_asix_phy) are in 6.12.118 and not in 6.1.192, so they
/// reached mainline after 2022-12-11 (6.1) and by 2024-11-17 (6.12).</summary>
[Collection("real database")]
public sealed class MilestoneClaimTests(RealDatabase db)
{
    private (int Exit, string Out, string Error) Check(string yaml)
    {
        var file = Path.Combine(db.Directory, "milestone-" + Guid.NewGuid().ToString("N")[..8] + ".yaml");
        File.WriteAllText(file, yaml);
        return CliRunner.Run(db.Directory, "--db", db.Path, "check", file);
    }

    [Fact]
    public void Year_ranges_are_decided_from_the_stored_releases_and_their_dates()
    {
        var (_, stdout, error) = Check("""
            claims:
              - id: serious-drivers-2026
                claim: The first serious Rust drivers reach mainline in 2026–2027
                query: { milestone: { kind: stable_driver } }
                expect: { between: [2026, 2027] }
              - id: drivers-by-2024
                claim: A Rust driver not marked experimental was in mainline by 2024
                query: { milestone: { kind: stable_driver } }
                expect: { atMost: 2024 }
              - id: rnull-2023
                claim: The Rust null block driver arrived in 2023
                query: { milestone: { kind: unit, name: rnull_mod } }
                expect: { equals: 2023 }
              - id: minimal-2022
                claim: The minimal sample came with 6.1 in 2022
                query: { milestone: { kind: unit, name: rust_minimal } }
                expect: { equals: 2022 }
              - id: nvme
                claim: A Rust NVMe driver arrived
                query: { milestone: { kind: unit, name: rnvme } }
                expect: { atLeast: 2022 }
            """);
        Assert.True(error.Length == 0, error);
        Assert.Equal(
            """
            FAILS        serious-drivers-2026: The first serious Rust drivers reach mainline in 2026–2027
                         expected 2026–2027; measured: a Rust driver not marked experimental (qt2025_phy, rust_asix_phy) reached mainline between 2022-12-12 and 2024-11-17 (2022–2024): first in 6.12.118 (series released 2024-11-17), not in 6.1.192 (series released 2022-12-11)
            HOLDS        drivers-by-2024: A Rust driver not marked experimental was in mainline by 2024
                         expected <= 2024; measured: a Rust driver not marked experimental (qt2025_phy, rust_asix_phy) reached mainline between 2022-12-12 and 2024-11-17 (2022–2024): first in 6.12.118 (series released 2024-11-17), not in 6.1.192 (series released 2022-12-11)
            CANNOT TELL  rnull-2023: The Rust null block driver arrived in 2023
                         expected = 2023; measured: unit rnull_mod reached mainline between 2022-12-12 and 2024-11-17 (2022–2024): first in 6.12.118 (series released 2024-11-17), not in 6.1.192 (series released 2022-12-11)
            HOLDS        minimal-2022: The minimal sample came with 6.1 in 2022
                         expected = 2022; measured: unit rust_minimal reached mainline between 2022-12-11 and 2022-12-11 (2022): first in 6.1.192 (series released 2022-12-11), 6.1.192 is the oldest stored release and nothing of Rust predates 6.1 (2022-12-11)
            CANNOT TELL  nvme: A Rust NVMe driver arrived
                         expected >= 2022; measured: unit rnvme is in no stored release (6.1.192, 6.12.118)
            5 claims: 2 cannot tell, 1 fails, 2 holds
            """.ReplaceLineEndings("\n"),
            stdout.ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public void A_milestone_without_its_kind_or_name_is_an_invalid_claim()
    {
        var (exit, _, error) = Check("""
            claims:
              - id: no-kind
                claim: x
                query: { milestone: { name: rnull_mod } }
                expect: { atMost: 2024 }
              - id: no-name
                claim: y
                query: { milestone: { kind: unit } }
                expect: { atMost: 2024 }
            """);
        Assert.Equal(1, exit);
        Assert.Contains("claim 'no-kind': query.milestone needs kind: stable_driver, unit, abstraction, crate, helper_file, maintainers", error);
        Assert.Contains("claim 'no-name': query.milestone: kind unit needs name", error);
    }

    [Fact]
    public void Milestones_command_lists_the_first_release_of_each_kind()
    {
        var (exit, stdout, error) = CliRunner.Run(db.Directory, "--db", db.Path, "milestones", "--kind", "stable_driver");
        Assert.True(exit == 0, error);
        Assert.Contains("stored releases: 6.1.192 (2022-12-11), 6.12.118 (2024-11-17)", stdout);
        Assert.Contains("  qt2025_phy, rust_asix_phy                    first in 6.12.118   2024-11-17  after 6.1.192 2022-12-11", stdout);
        (exit, stdout, error) = CliRunner.Run(db.Directory, "--db", db.Path, "milestones", "--json");
        Assert.True(exit == 0, error);
        var root = System.Text.Json.JsonDocument.Parse(stdout).RootElement;
        Assert.Contains(root.GetProperty("milestones").EnumerateArray(), m => m.GetProperty("kind").GetString() == "crate" && m.GetProperty("name").GetString() == "uapi"
            && m.GetProperty("first").GetString() == "6.12.118" && m.GetProperty("before").GetString() == "6.1.192" && m.GetProperty("firstDate").GetString() == "2024-11-17");
    }
}
