using System.Text.Json;

namespace Oxidation.Cli.Tests.FixDiffs;

/// <summary>
/// <c>cves import --repo</c> (issue 13, item 4) on <see cref="KernelFixes"/>: a clone built in the test whose commits are
/// realistic kernel fixes and records referencing them, one referencing a commit the clone lacks.
/// </summary>
public sealed class FixDiffImportTests(KernelFixes fixes) : IClassFixture<KernelFixes>
{
    private (int Exit, string Out, string Error) Run(string db, params string[] args) =>
        CliRunner.Run(fixes.Work, [.. args, "--db", Path.Combine(fixes.Work, db)]);

    /// <summary>Class and confidence of every stored record, by id (cves list).</summary>
    private Dictionary<string, (string Class, string Confidence)> Classes(string db)
    {
        var (exit, stdout, error) = Run(db, "cves", "list", "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!,
            e => (e.GetProperty("class").GetString()!, e.GetProperty("confidence").GetString()!));
    }

    private static int Agreeing(Dictionary<string, (string Class, string Confidence)> classes) =>
        KernelFixes.Labels.Count(l => classes[l.Key].Class == l.Value);

    [Fact]
    public void The_fix_diff_decides_where_the_rules_found_nothing_in_the_text()
    {
        var (exit, stdout, error) = Run("rules.duckdb", "cves", "import", fixes.Records, "--repo", fixes.Repository, "--rules-only", "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(stdout);
        var diffs = json.RootElement.GetProperty("fixDiffs");
        Assert.Equal(fixes.Repository, diffs.GetProperty("repository").GetString());
        Assert.Equal(9, diffs.GetProperty("records").GetInt32());
        Assert.Equal(8, diffs.GetProperty("found").GetInt32());
        Assert.Equal(1, diffs.GetProperty("missing").GetInt32());
        Assert.Equal(6, diffs.GetProperty("decided").GetInt32());
        var problem = Assert.Single(diffs.GetProperty("problems").EnumerateArray());
        Assert.Equal("CVE-2024-50009", problem.GetProperty("id").GetString());
        Assert.Equal($"fix {KernelFixes.Absent} is not in {fixes.Repository}", problem.GetProperty("reason").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("failed").GetInt32());
        Assert.Matches("^[0-9a-f]{12}\\+diff-[0-9a-f]{12}$", json.RootElement.GetProperty("classifier").GetString()!);

        var classes = Classes("rules.duckdb");
        Assert.Equal(("null-deref", "medium"), classes["CVE-2024-50001"]);
        Assert.Equal(("out-of-bounds", "medium"), classes["CVE-2024-50002"]);
        Assert.Equal(("use-after-free", "medium"), classes["CVE-2024-50003"]);
        Assert.Equal(("memory-leak", "medium"), classes["CVE-2024-50004"]);
        Assert.Equal(("data-race", "medium"), classes["CVE-2024-50005"]);
        Assert.Equal(("uninitialized", "medium"), classes["CVE-2024-50006"]);
        // The text names the class: its diff (a devm_free_irq added, "resource released") is not asked.
        Assert.Equal(("use-after-free", "high"), classes["CVE-2024-50007"]);
        // The diff changes a flag: no rule fires, the text's default stays.
        Assert.Equal(("logic", "low"), classes["CVE-2024-50008"]);
        // The fix is not in the clone: text only.
        Assert.Equal(("logic", "low"), classes["CVE-2024-50009"]);

        // Again: every classification, the diff's included, comes from the cache (keyed by text and fix commit).
        (exit, stdout, error) = Run("rules.duckdb", "cves", "import", fixes.Records, "--repo", fixes.Repository, "--rules-only", "--json", "--force");
        Assert.True(exit == 0, error);
        using (var again = JsonDocument.Parse(stdout))
        {
            Assert.Equal(0, again.RootElement.GetProperty("classified").GetInt32());
            Assert.Equal(9, again.RootElement.GetProperty("cached").GetInt32());
            Assert.Equal(6, again.RootElement.GetProperty("fixDiffs").GetProperty("decided").GetInt32());
        }
        // Unchanged records and an unchanged clone: nothing to do.
        (exit, _, error) = Run("rules.duckdb", "cves", "import", fixes.Records, "--repo", fixes.Repository, "--rules-only");
        Assert.Equal(0, exit);
        Assert.Contains("unchanged since the last import", error);
        (exit, stdout, error) = Run("rules.duckdb", "cves", "show", "CVE-2024-50001", "--json");
        Assert.True(exit == 0, error);
        using var shown = JsonDocument.Parse(stdout);
        Assert.Equal($"fix diff {fixes.Shas["CVE-2024-50001"][..12]} drivers/gpu/drm/vmwgfx/vmwgfx_surface.c: NULL check: \"+if (!srf)\"; text: logic (low, no class signal)",
            shown.RootElement.GetProperty("evidence").GetString());
    }

    [Fact]
    public void Every_rule_names_the_line_that_decided()
    {
        var (exit, _, error) = Run("evidence.duckdb", "cves", "import", fixes.Records, "--repo", fixes.Repository, "--rules-only");
        Assert.True(exit == 0, error);
        // The records whose fix the clone lacks are listed on standard error, one line each.
        Assert.Equal($"oxidation: CVE-2024-50009: fix {KernelFixes.Absent} is not in {fixes.Repository}; classified from its text", error.TrimEnd());
        // cves classify --repo takes them from the cache the import filled, evidence and all.
        (exit, var stdout, error) = Run("evidence.duckdb", "cves", "classify", "--repo", fixes.Repository, "--rules-only", "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(stdout);
        var evidence = json.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("evidence").GetString()!);
        string Sha(string id) => fixes.Shas[id][..12];
        const string Text = "; text: logic (low, no class signal)";
        Assert.Equal($"fix diff {Sha("CVE-2024-50002")} drivers/net/dsa/foo/foo_vlan.c: bounds check: \"+if (port >= ARRAY_SIZE(priv->vlan_count))\"{Text}", evidence["CVE-2024-50002"]);
        Assert.Equal($"fix diff {Sha("CVE-2024-50003")} drivers/net/ovpn/peer.c: free or put moved: \"±ovpn_peer_put(peer);\"{Text}", evidence["CVE-2024-50003"]);
        Assert.Equal($"fix diff {Sha("CVE-2024-50004")} drivers/staging/foo/foo_fw.c: memory or reference released: \"+kfree(buf);\"{Text}", evidence["CVE-2024-50004"]);
        Assert.Equal($"fix diff {Sha("CVE-2024-50005")} drivers/usb/gadget/function/u_foo.c: locking added: \"+spin_lock_irqsave(&port->lock, flags);\"{Text}", evidence["CVE-2024-50005"]);
        Assert.Equal($"fix diff {Sha("CVE-2024-50006")} net/sched/act_foo.c: zeroing allocation instead of a plain one: \"+opt = kzalloc(sizeof(*opt), GFP_KERNEL);\"{Text}", evidence["CVE-2024-50006"]);
        Assert.Equal("subject: \"use-after-free\"", evidence["CVE-2024-50007"]);
    }

    /// <summary>
    /// The gain, measured where it can be: the eight records of the test clone whose fix is in it, labelled by reading the
    /// diffs (no real kernel clone was at hand, so none of data/cve-labels was measured this way).
    /// </summary>
    [Fact]
    public void On_the_test_clone_the_diff_raises_the_rules_from_two_to_eight_of_eight()
    {
        var (exit, _, error) = Run("text.duckdb", "cves", "import", fixes.Records, "--rules-only");
        Assert.True(exit == 0, error);
        var textOnly = Classes("text.duckdb");
        (exit, _, error) = Run("both.duckdb", "cves", "import", fixes.Records, "--rules-only", "--repo", fixes.Repository);
        Assert.True(exit == 0, error);
        var withDiff = Classes("both.duckdb");
        Assert.Equal(2, Agreeing(textOnly)); // CVE-2024-50007 (its subject) and CVE-2024-50008 (logic by default)
        Assert.Equal(8, Agreeing(withDiff));
        // Without --repo nothing changes: the record whose fix is missing has the same class either way.
        Assert.Equal(textOnly["CVE-2024-50009"], withDiff["CVE-2024-50009"]);
    }

    /// <summary>
    /// The default classifier. The model (on 1690 labels since 2026-12-03) is unsure (low confidence) of every record
    /// here but two: 50003 it calls use-after-free with medium confidence (right: its diff is not asked), 50007's subject
    /// names the class (high). Elsewhere the diff decides wherever a rule fires (50001, 50002, 50004, 50005, 50006); the
    /// model's guess stays for the flag change (50008, `logic`, right) and the missing fix (50009). Text alone agrees with
    /// the labels on 3 of 8 (50003, 50007, 50008), with the diff on 8 of 8. (The model of the first session of 2026-12-03
    /// called 50005 use-after-free with medium confidence and 50008 `other`: 2 of 8 → 6 of 8; the model trained with
    /// silver: 2 → 7.)
    /// </summary>
    [Fact]
    public void The_hybrid_takes_the_diff_where_the_model_is_unsure()
    {
        var (exit, _, error) = Run("hybrid-text.duckdb", "cves", "import", fixes.Records);
        Assert.True(exit == 0, error);
        var textOnly = Classes("hybrid-text.duckdb");
        (exit, var stdout, error) = Run("hybrid.duckdb", "cves", "import", fixes.Records, "--repo", fixes.Repository, "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(5, json.RootElement.GetProperty("fixDiffs").GetProperty("decided").GetInt32());
        Assert.Matches("^[0-9a-f]{12}\\+317170664099\\+diff-[0-9a-f]{12}$", json.RootElement.GetProperty("classifier").GetString()!);
        var classes = Classes("hybrid.duckdb");
        Assert.Equal(["logic", "use-after-free", "use-after-free", "logic", "use-after-free", "logic", "use-after-free", "logic", "use-after-free"],
            textOnly.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value.Class));
        Assert.Equal("medium", textOnly["CVE-2024-50003"].Confidence);
        Assert.Equal("high", textOnly["CVE-2024-50007"].Confidence);
        Assert.All(textOnly.Where(c => c.Key is not ("CVE-2024-50003" or "CVE-2024-50007")), c => Assert.Equal("low", c.Value.Confidence));
        Assert.Equal(["null-deref", "out-of-bounds", "use-after-free", "memory-leak", "data-race", "uninitialized", "use-after-free", "logic", "use-after-free"],
            classes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value.Class));
        Assert.Equal(3, Agreeing(textOnly));
        Assert.Equal(8, Agreeing(classes));
    }

    [Fact]
    public void A_repo_that_is_not_a_repository_is_one_line_and_exit_2()
    {
        var plain = Directory.CreateDirectory(Path.Combine(fixes.Work, "not-a-clone")).FullName;
        var (exit, stdout, error) = Run("bad.duckdb", "cves", "import", fixes.Records, "--repo", plain);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"oxidation: error: --repo {plain}: not a git repository\n", error);
        var missing = Path.Combine(fixes.Work, "nowhere");
        (exit, _, error) = Run("bad.duckdb", "cves", "import", fixes.Records, "--repo", missing);
        Assert.Equal(2, exit);
        Assert.Equal($"oxidation: error: --repo {missing}: no such directory\n", error);
    }
}
