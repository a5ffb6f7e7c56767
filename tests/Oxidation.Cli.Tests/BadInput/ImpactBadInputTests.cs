using System.Text.Json;
using Oxidation.Cli.Tests.Impact;

namespace Oxidation.Cli.Tests.BadInput;

/// <summary>
/// <c>oxidation impact</c> given broken or odd input (issue 14): one line naming the thing and the reason with exit 2, or the
/// answer with the problem listed (exit 1 when the answer is incomplete), never a guess presented as an answer.
/// </summary>
public sealed class ImpactBadInputTests : IClassFixture<WidgetRepository>, IDisposable
{
    private readonly WidgetRepository _repo;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-impact-bad-");

    public ImpactBadInputTests(WidgetRepository repo) => _repo = repo;

    public void Dispose() => _work.Delete(recursive: true);

    private (int Exit, string Out, string Error) Run(params string[] args) => CliRunner.Run(_work.FullName, args);

    private string Patch(string name, string text)
    {
        var path = Path.Combine(_work.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Hunk(string path, int line, string old, string @new) =>
        $"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -{line},1 +{line},1 @@\n-{old}\n+{@new}\n";

    private void Fails(string message, params string[] args)
    {
        var (exit, stdout, stderr) = Run(args);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"oxidation: error: {message}\n", stderr.ReplaceLineEndings("\n"));
    }

    private (int Exit, List<string> Problems, int Declarations) Problems(params string[] args)
    {
        var (exit, stdout, stderr) = Run([.. args, "--json"]);
        Assert.True(stderr.Length == 0, stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        return (exit,
            [.. report.GetProperty("problems").EnumerateArray().Select(p => $"{(p.GetProperty("incomplete").GetBoolean() ? "! " : "")}{p.GetProperty("path").GetString()}: {p.GetProperty("reason").GetString()}")],
            report.GetProperty("declarations").GetArrayLength());
    }

    [Fact]
    public void An_empty_or_malformed_patch_is_one_line()
    {
        var empty = Patch("empty.patch", "");
        Fails($"{empty}: empty patch", "impact", empty, "--repo", _repo.Path, "--rev", "HEAD");
        var words = Patch("words.patch", "hello\n");
        Fails($"{words}: not a unified diff (no 'diff --git' or '---'/'+++' file header)", "impact", words, "--repo", _repo.Path, "--rev", "HEAD");
        var cut = Patch("cut.patch", "--- a/include/linux/widget.h\n+++ b/include/linux/widget.h\n@@ -5,2 +5,2 @@\n-\tint speed;\n");
        Fails($"{cut}:3: hunk ends early (the patch is cut short)", "impact", cut, "--repo", _repo.Path, "--rev", "HEAD");
        Fails("no-such.patch: cannot read (Could not find file '" + Path.Combine(_work.FullName, "no-such.patch") + "'.)", "impact", "no-such.patch", "--repo", _repo.Path, "--rev", "HEAD");
    }

    [Fact]
    public void A_patch_naming_files_absent_from_the_tree_lists_them_and_exits_1()
    {
        var patch = Patch("absent.patch", Hunk("include/linux/absent.h", 1, "a", "b") + Hunk("include/linux/widget.h", 14, "int widget_start(struct widget *w);", "int widget_start(void);"));
        var (exit, problems, declarations) = Problems("impact", patch, "--repo", _repo.Path, "--rev", _repo.Root);
        Assert.Equal((1, 1), (exit, declarations));
        Assert.Equal(["! include/linux/absent.h: not in the tree of 6.99"], problems);
        var (_, text, _) = Run("impact", patch, "--repo", _repo.Path, "--rev", _repo.Root);
        Assert.EndsWith("1 not placed (1 leaves the answer incomplete, marked !):\n! include/linux/absent.h: not in the tree of 6.99\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_patch_whose_lines_are_not_the_trees_is_refused_for_that_file()
    {
        // widget_start gained "int flags" at Signature: a patch written against Root does not apply to HEAD.
        var patch = Patch("stale.patch", Hunk("include/linux/widget.h", 14, "int widget_start(struct widget *w);", "int widget_start(void);"));
        var (exit, problems, declarations) = Problems("impact", patch, "--repo", _repo.Path, "--rev", "HEAD");
        Assert.Equal((1, 0), (exit, declarations));
        Assert.Equal(["! include/linux/widget.h: the patch does not apply to 6.99: line 14 is \"int widget_start(struct widget *w, int flags);\", the patch has \"int widget_start(struct widget *w);\""], problems);
        var past = Patch("past.patch", Hunk("include/linux/widget.h", 40, "x", "y"));
        Assert.Equal(["! include/linux/widget.h: the patch does not apply to 6.99: line 40 is past the end of the file (18 lines)"], Problems("impact", past, "--repo", _repo.Path, "--rev", "HEAD").Problems);
    }

    [Fact]
    public void Binary_hunks_renames_and_mode_changes_are_listed()
    {
        var patch = Patch("odd.patch", """
            diff --git a/firmware/widget.bin b/firmware/widget.bin
            index 1234567..89abcde 100644
            Binary files a/firmware/widget.bin and b/firmware/widget.bin differ
            diff --git a/include/linux/gadget.h b/include/linux/gizmo.h
            similarity index 100%
            rename from include/linux/gadget.h
            rename to include/linux/gizmo.h
            diff --git a/include/linux/other.h b/include/linux/other.h
            old mode 100644
            new mode 100755

            """.ReplaceLineEndings("\n"));
        var (exit, problems, declarations) = Problems("impact", patch, "--repo", _repo.Path, "--rev", _repo.Root);
        Assert.Equal((0, 0), (exit, declarations));
        Assert.Equal(
            [
                "firmware/widget.bin: binary change: not read",
                "include/linux/gadget.h: renamed to include/linux/gizmo.h: every #include of include/linux/gadget.h breaks; the declarations it holds are not listed one by one",
                "include/linux/other.h: mode change only (no declaration touched)",
            ],
            problems);
    }

    [Fact]
    public void A_symbol_that_does_not_exist_is_said_with_near_names()
    {
        var (exit, problems, declarations) = Problems("impact", "--symbol", "widget_stat", "--repo", _repo.Path, "--rev", "HEAD");
        Assert.Equal((2, 0), (exit, declarations));
        // The closure is bindings_helper.h, widget.h and gizmo.h (renamed from gadget.h at Rename).
        Assert.Equal(["! widget_stat: no declaration named widget_stat in the 3 headers bindgen reads in 6.99; near names: enum widget_state, widget_start"], problems);
        var (_, none, _) = Problems("impact", "--symbol", "nothing_like_it", "--repo", _repo.Path, "--rev", "HEAD");
        Assert.Equal(["! nothing_like_it: no declaration named nothing_like_it in the 3 headers bindgen reads in 6.99"], none);
        // One symbol found, one not: the answer and the gap, exit 1.
        var (both, bothProblems, bothDeclarations) = Problems("impact", "--symbol", "widget_start", "--symbol", "widget_stat", "--repo", _repo.Path, "--rev", "HEAD");
        Assert.Equal((1, 1, 1), (both, bothProblems.Count, bothDeclarations));
    }

    [Fact]
    public void A_release_not_scanned_names_the_scanned_ones()
    {
        var db = Path.Combine(_work.FullName, "o.duckdb");
        Assert.Equal(0, Run("scan", _repo.Path, "--rev", _repo.Root, "--db", db).Exit);
        Fails($"release 6.1 is not scanned in {db}; scanned: 6.99", "impact", "--symbol", "widget_start", "--release", "6.1", "--db", db);
        Fails($"release 6.1 is not scanned in {db}; scanned: 6.99", "impact", "--repo", _repo.Path, "--commit", "HEAD", "--release", "6.1", "--db", db);
    }

    [Fact]
    public void Commits_revs_and_repositories_that_do_not_exist_are_one_line()
    {
        Fails($"{_repo.Path}: --commit deadbeef: no such tag, branch or commit", "impact", "--repo", _repo.Path, "--commit", "deadbeef");
        Fails($"{_repo.Path}: --commit {_repo.Root}: {_repo.Root[..12]} is a root commit (no parent to compare with)", "impact", "--repo", _repo.Path, "--commit", _repo.Root);
        var tree = _repo.Git("rev-parse", "HEAD^{tree}");
        Fails($"{_repo.Path}: --commit HEAD^{{tree}} names a tree {tree}, not a commit", "impact", "--repo", _repo.Path, "--commit", "HEAD^{tree}");
        var patch = Patch("p.patch", Hunk("include/linux/widget.h", 5, "\tint speed;", "\tlong speed;"));
        Fails($"{_repo.Path}: --rev v9.9: no such tag, branch or commit", "impact", patch, "--repo", _repo.Path, "--rev", "v9.9");
        var plain = _work.CreateSubdirectory("plain").FullName;
        Fails($"{plain}: not a git repository", "impact", "--repo", plain, "--commit", "HEAD");
        Fails($"{plain}/nothing: no such directory", "impact", "--repo", $"{plain}/nothing", "--commit", "HEAD");
        Fails($"{plain}: not a git repository", "impact", "--repo", plain, "--validate");
        Fails($"{plain}: no files, not a kernel tree", "impact", patch, "--tree", plain);
        File.WriteAllText(Path.Combine(plain, "README"), "not a kernel\n");
        Fails($"{plain}: not a kernel tree (no top-level Makefile with VERSION)", "impact", patch, "--tree", plain);
        File.WriteAllText(Path.Combine(plain, "Makefile"), "VERSION = 6\nPATCHLEVEL = 0\n");
        Fails($"{plain}: no rust/bindings/bindings_helper.h, so no bindgen input (a tree before Rust, 6.1 or later is needed)", "impact", patch, "--tree", plain);
    }

    [Theory]
    [InlineData("--commit needs --repo REPO", "impact", "--commit", "HEAD")]
    [InlineData("impact takes --tree or --repo, not both", "impact", "x.patch", "--tree", ".", "--repo", ".", "--rev", "HEAD")]
    [InlineData("--repo needs --commit SHA, --rev R (the tree a patch applies to) or --validate", "impact", "x.patch", "--repo", ".")]
    [InlineData("impact takes a patch, --commit or --symbol, not two of them", "impact", "x.patch", "--repo", ".", "--commit", "HEAD")]
    [InlineData("impact reads declarations from --release or from a tree (--tree, --rev), not both", "impact", "x.patch", "--tree", ".", "--release", "6.1")]
    [InlineData("--since and --until go with --validate", "impact", "--symbol", "x", "--since", "HEAD")]
    [InlineData("impact needs a patch file, --commit or at least one --symbol", "impact")]
    public void Options_that_do_not_go_together_are_one_line(string message, params string[] args) => Fails(message, args);
}
