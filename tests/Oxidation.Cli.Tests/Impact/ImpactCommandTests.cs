using System.Text.Json;

namespace Oxidation.Cli.Tests.Impact;

/// <summary>
/// <c>oxidation impact</c> on the commits of <see cref="WidgetRepository"/>, text and JSON. The expected lines are those of
/// the fixture's sources (widget.h line 5 is <c>int speed;</c>, 10 <c>WIDGET_DOWN,</c>, 14 <c>widget_start</c>, 16
/// <c>widget_lock</c>; widget.rs lines 8, 12, 16, 20; rust_widget.rs line 9), counted by hand in the sources above.
/// </summary>
public sealed class ImpactCommandTests : IClassFixture<WidgetRepository>, IDisposable
{
    private readonly WidgetRepository _repo;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-impact-cli-");

    public ImpactCommandTests(WidgetRepository repo) => _repo = repo;

    public void Dispose() => _work.Delete(recursive: true);

    private (int Exit, string Out, string Error) Run(params string[] args) => CliRunner.Run(_work.FullName, args);

    private JsonElement Json(params string[] args) => Json(0, args);

    private JsonElement Json(int expectedExit, params string[] args)
    {
        var (exit, stdout, stderr) = Run([.. args, "--json"]);
        Assert.True(exit == expectedExit, $"exit {exit}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement;
    }

    private static List<string> Declarations(JsonElement report) =>
        [.. report.GetProperty("declarations").EnumerateArray().Select(d =>
            $"{d.GetProperty("kind").GetString()} {(d.GetProperty("parent").GetString() is { } p ? p + "." : "")}{d.GetProperty("name").GetString()} "
            + $"{d.GetProperty("header").GetString()}:{d.GetProperty("line").GetInt32()} {d.GetProperty("verdict").GetString()}")];

    private static List<string> Uses(JsonElement report) =>
        [.. report.GetProperty("declarations").EnumerateArray().SelectMany(d => d.GetProperty("uses").EnumerateArray()).Select(u =>
            $"{u.GetProperty("path").GetString()}:{u.GetProperty("line").GetInt32()} {u.GetProperty("via").GetString()} {u.GetProperty("item").GetString()}")];

    private static List<string> Problems(JsonElement report) =>
        [.. report.GetProperty("problems").EnumerateArray().Select(p => $"{p.GetProperty("path").GetString()}: {p.GetProperty("reason").GetString()}")];

    [Fact]
    public void A_commit_changing_a_bound_functions_signature_names_the_abstraction_and_the_driver()
    {
        var (exit, stdout, stderr) = Run("impact", "--repo", _repo.Path, "--commit", _repo.Signature);
        Assert.True(exit == 0, stderr);
        Assert.Equal(
            $"""
            impact of {_repo.Signature[..12]} on Rust in 6.99 ({_repo.Path}@{_repo.Root}): 1 declaration

            widget_start (function, include/linux/widget.h:14): used by Rust directly
              int widget_start(struct widget *w)
              drivers/widget/rust_widget.rs:9  bindings widget_start
              rust/kernel/widget.rs:8  bindings widget_start
              abstractions: widget
              units: rust_widget
              C side: WIDGET SUBSYSTEM (Ada Author <ada@example.org>)
              Rust side: RUST (Miguel Ojeda <ojeda@example.org>); WIDGET SUBSYSTEM (Ada Author <ada@example.org>)

            1 not placed:
              rust/kernel/widget.rs: a Rust source: impact reads what the C side of a change touches

            """.ReplaceLineEndings("\n"), stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_commit_changing_a_field_rust_reads_names_the_field_in_json()
    {
        var report = Json("impact", "--repo", _repo.Path, "--commit", _repo.Field);
        Assert.Equal(_repo.Field, report.GetProperty("commit").GetString());
        Assert.Equal($"{_repo.Path}@{_repo.Signature}", report.GetProperty("source").GetString());
        Assert.Equal("6.99", report.GetProperty("release").GetString());
        Assert.Equal(["field struct widget.speed include/linux/widget.h:5 used through an abstraction"], Declarations(report));
        Assert.Equal(["rust/kernel/widget.rs:12 field speed"], Uses(report));
        var d = report.GetProperty("declarations")[0];
        Assert.Equal(["widget"], d.GetProperty("modules").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(["rust_widget"], d.GetProperty("units").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(["WIDGET SUBSYSTEM"], d.GetProperty("cSide").EnumerateArray().Select(m => m.GetProperty("entry").GetString()));
        Assert.Equal(["RUST", "WIDGET SUBSYSTEM"], d.GetProperty("rustSide").EnumerateArray().Select(m => m.GetProperty("entry").GetString()));
        Assert.Empty(Problems(report));
    }

    [Fact]
    public void A_commit_changing_a_macro_a_helper_wraps_names_the_helper_and_its_use()
    {
        var report = Json("impact", "--repo", _repo.Path, "--commit", _repo.Macro);
        Assert.Equal(["macro widget_lock include/linux/widget.h:16 used through an abstraction"], Declarations(report));
        Assert.Equal(["rust_helper_widget_lock"], report.GetProperty("declarations")[0].GetProperty("helpers").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(["rust/kernel/widget.rs:16 helper widget_lock"], Uses(report));
    }

    [Fact]
    public void A_commit_changing_an_enum_value_names_bindgens_constified_name()
    {
        var report = Json("impact", "--repo", _repo.Path, "--commit", _repo.EnumValue);
        Assert.Equal(["enum_value enum widget_state.WIDGET_DOWN include/linux/widget.h:10 used through an abstraction"], Declarations(report));
        Assert.Equal(["rust/kernel/widget.rs:20 bindings widget_state_WIDGET_DOWN"], Uses(report));
    }

    [Fact]
    public void Unrelated_headers_renames_and_mode_changes_touch_nothing_and_say_why()
    {
        var unrelated = Json("impact", "--repo", _repo.Path, "--commit", _repo.Unrelated);
        Assert.Empty(Declarations(unrelated));
        Assert.Equal(["include/linux/other.h: not visible to Rust: not in the headers bindgen reads"], Problems(unrelated));

        var unused = Json("impact", "--repo", _repo.Path, "--commit", _repo.Unused);
        Assert.Equal(["function gadget_probe include/linux/gadget.h:1 visible to bindgen but unused"], Declarations(unused));
        Assert.Empty(Uses(unused));

        var rename = Json("impact", "--repo", _repo.Path, "--commit", _repo.Rename);
        Assert.Empty(Declarations(rename));
        Assert.Equal(
            [
                "include/linux/gadget.h: renamed to include/linux/gizmo.h: every #include of include/linux/gadget.h breaks; the declarations it holds are not listed one by one",
                "rust/bindings/bindings_helper.h: changes lines outside any declaration (comments, blank lines, #include or #if lines)",
            ],
            Problems(rename));

        var mode = Json("impact", "--repo", _repo.Path, "--commit", _repo.Mode);
        Assert.Empty(Declarations(mode));
        Assert.Equal(["include/linux/other.h: mode change only (no declaration touched)"], Problems(mode));
    }

    [Fact]
    public void A_patch_against_a_directory_a_tarball_or_a_rev_has_the_commits_impact()
    {
        var patch = Path.Combine(_work.FullName, "signature.patch");
        File.WriteAllText(patch, _repo.Git("diff", _repo.Root, _repo.Signature, "--", "include/") + "\n");
        var tarball = Path.Combine(_work.FullName, "root.tar");
        _repo.Git("archive", "--format=tar", "--prefix=linux-6.99/", "-o", tarball, _repo.Root);
        var directory = Path.Combine(_work.FullName, "tree");
        Directory.CreateDirectory(directory);
        var tar = System.Diagnostics.Process.Start("tar", ["-xf", tarball, "-C", directory, "--strip-components=1"])!;
        tar.WaitForExit();
        Assert.Equal(0, tar.ExitCode);

        string[] expected = ["function widget_start include/linux/widget.h:14 used by Rust directly"];
        var fromDirectory = Json("impact", patch, "--tree", directory);
        Assert.Equal(expected, Declarations(fromDirectory));
        Assert.Equal(directory, fromDirectory.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, fromDirectory.GetProperty("commit").ValueKind);
        var fromTarball = Json("impact", patch, "--tree", tarball);
        Assert.Equal(expected, Declarations(fromTarball));
        var fromRev = Json("impact", patch, "--repo", _repo.Path, "--rev", "HEAD~8");
        Assert.Equal(expected, Declarations(fromRev));
        Assert.Equal($"{_repo.Path}@{_repo.Root}", fromRev.GetProperty("source").GetString());
        Assert.Equal(["drivers/widget/rust_widget.rs:9 bindings widget_start", "rust/kernel/widget.rs:8 bindings widget_start"], Uses(fromRev));
        // A symbol against a tree, without any database.
        var symbol = Json("impact", "--symbol", "struct widget.speed", "--tree", directory);
        Assert.Equal(["field struct widget.speed include/linux/widget.h:5 used through an abstraction"], Declarations(symbol));
    }

    [Fact]
    public void A_commit_against_the_stored_release_lists_the_files_that_differ_from_it()
    {
        var db = Path.Combine(_work.FullName, "o.duckdb");
        var scan = Run("scan", _repo.Path, "--rev", _repo.Root, "--db", db);
        Assert.True(scan.Exit == 0, scan.Error);
        // The parent of Signature is the release scanned: the same answer as from the parent's tree.
        var same = Json("impact", "--repo", _repo.Path, "--commit", _repo.Signature, "--release", "6.99", "--db", db);
        Assert.Equal("database", same.GetProperty("source").GetString());
        Assert.Equal(["function widget_start include/linux/widget.h:14 used by Rust directly"], Declarations(same));
        Assert.Equal(["rust/kernel/widget.rs: a Rust source: impact reads what the C side of a change touches"], Problems(same));
        // The parent of Macro has widget.h with two more bytes (flags, long): said, not hidden.
        var later = Json(1, "impact", "--repo", _repo.Path, "--commit", _repo.Macro, "--release", "6.99", "--db", db);
        Assert.Equal(["macro widget_lock include/linux/widget.h:16 used through an abstraction"], Declarations(later));
        var sizes = _repo.Git("cat-file", "-s", $"{_repo.Field}:include/linux/widget.h") + " vs " + _repo.Git("cat-file", "-s", $"{_repo.Root}:include/linux/widget.h");
        Assert.Equal("240 vs 228", sizes);
        Assert.Equal(
            [$"include/linux/widget.h: 240 bytes in the parent {_repo.Field[..12]}, 228 in 6.99: the patch's line numbers may not be the release's (drop --release to read the parent's tree)"],
            Problems(later));
    }

    [Fact]
    public void Validation_against_history_reports_precision_and_recall()
    {
        var (exit, stdout, stderr) = Run("impact", "--repo", _repo.Path, "--validate");
        Assert.True(exit == 0, stderr);
        Assert.Equal(
            $"""
            3 commits of {_repo.Path} change include/ and rust/ together; 3 checked
            precision 50.0% (1 of 2 Rust files named were changed), recall 50.0% (of 2 existing Rust files changed); 0 Rust files added, not counted

            {_repo.Signature[..12]} widget: widget_start takes flags
              1 declaration touched; named 2, changed 1, both 1
              named, not changed: drivers/widget/rust_widget.rs

            {_repo.Unused[..12]} gadget: gadget_probe takes an id
              1 declaration touched; named 0, changed 1, both 0
              changed, not named: rust/kernel/widget.rs

            {_repo.Rename[..12]} gadget: rename to gizmo
              0 declarations touched; named 0, changed 0, both 0

            """.ReplaceLineEndings("\n"), stdout.ReplaceLineEndings("\n"));

        var json = Json("impact", "--repo", _repo.Path, "--validate", "--since", _repo.Signature);
        Assert.Equal(0.0, json.GetProperty("recall").GetDouble());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("precision").ValueKind);
        Assert.Equal([_repo.Unused, _repo.Rename], json.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("commit").GetString()));
    }
}
