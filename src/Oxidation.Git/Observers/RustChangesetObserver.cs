using System.Text.RegularExpressions;
using Oxidation.Rust;

namespace Oxidation.Git;

/// <summary>
/// Classes each commit as a Rust changeset or not and counts its Rust lines (docs/history.md, "Per commit"): a commit
/// touching a <c>.rs</c> file or <c>rust/</c>, or changing a Rust line of a Kconfig file or Makefile; kernel and vendored
/// lines apart, and whether it touches only vendored crates; whether its subject says it fixes the Rust build.
/// Records <c>Rust</c>, <c>VendoredOnly</c>, <c>RustAdded</c>/<c>RustRemoved</c>, <c>VendoredAdded</c>/<c>VendoredRemoved</c>
/// and <c>FixesRustBuild</c>.
/// </summary>
internal sealed partial class RustChangesetObserver(RustKnowledge knowledge) : IHistoryObserver
{
    [GeneratedRegex(@"(?i)\brust\b|\brustc\b|\.rs\b|bindgen")]
    private static partial Regex RustBuildLine();

    private IReadOnlySet<string> _vendored = new HashSet<string>();

    public void BeginSegment(HistorySegment segment) => _vendored = segment.VendoredCrates();

    public void Observe(HistoryCommit commit)
    {
        var changes = commit.Changes;
        var vendored = _vendored;
        int added = 0, removed = 0, vAdded = 0, vRemoved = 0;
        var rsChanges = changes.Where(c => c.Path.EndsWith(".rs", StringComparison.Ordinal)).ToList();
        foreach (var c in rsChanges)
        {
            var (plus, minus) = LineCounts(commit, c);
            if (HistorySegment.IsVendored(c.Path, vendored))
                (vAdded, vRemoved) = (vAdded + plus, vRemoved + minus);
            else
                (added, removed) = (added + plus, removed + minus);
        }
        var rust = rsChanges.Count > 0 || changes.Any(c => knowledge.InRustDirectory(c.Path));
        if (!rust)
            rust = changes.Where(c => IsBuildFile(c.Path)).Any(c => ChangesRustBuildLine(commit, c));
        var record = commit.Record;
        record.Rust = rust;
        record.VendoredOnly = rust && changes.All(c => HistorySegment.IsVendored(c.Path, vendored));
        (record.RustAdded, record.RustRemoved, record.VendoredAdded, record.VendoredRemoved) = (added, removed, vAdded, vRemoved);
        record.FixesRustBuild = rust && knowledge.RustBuildFix.IsMatch(record.Subject);
    }

    private static bool IsBuildFile(string path)
    {
        var name = Path.GetFileName(path);
        return name is "Makefile" or "Kbuild" || name.StartsWith("Kconfig", StringComparison.Ordinal);
    }

    /// <summary>Lines added and removed, as <c>git diff --numstat</c> counts them (a minimal line diff, Myers' algorithm).</summary>
    private static (int Added, int Removed) LineCounts(HistoryCommit commit, PathChange change)
    {
        var diff = LineDiffs.Of(commit.Text(change, change.Old), commit.Text(change, change.New));
        return (diff.DiffBlocks.Sum(b => b.InsertCountB), diff.DiffBlocks.Sum(b => b.DeleteCountA));
    }

    /// <summary>Whether a Kconfig or Makefile change adds or removes a Rust line. Most such files mention no Rust at all: no diff then.</summary>
    private static bool ChangesRustBuildLine(HistoryCommit commit, PathChange change)
    {
        var before = commit.Text(change, change.Old);
        var after = commit.Text(change, change.New);
        if (!RustBuildLine().IsMatch(before) && !RustBuildLine().IsMatch(after))
            return false;
        var diff = LineDiffs.Of(before, after);
        return diff.DiffBlocks.Any(b =>
            diff.PiecesOld.Skip(b.DeleteStartA).Take(b.DeleteCountA).Concat(diff.PiecesNew.Skip(b.InsertStartB).Take(b.InsertCountB)).Any(l => RustBuildLine().IsMatch(l)));
    }
}
