using Oxidation.Rust;

namespace Oxidation.Git;

/// <summary>
/// The cost of two APIs (docs/history.md): whether a commit changes <c>rust/</c> outside the vendored crates, and then
/// which C headers under <c>include/</c> it changes with it. Records <c>TouchesRustDirectory</c> and <c>Headers</c>.
/// </summary>
internal sealed class DualApiObserver(RustKnowledge knowledge) : IHistoryObserver
{
    private IReadOnlySet<string> _vendored = new HashSet<string>();

    public void BeginSegment(HistorySegment segment) => _vendored = segment.VendoredCrates();

    public void Observe(HistoryCommit commit)
    {
        var vendored = _vendored;
        var rustDirectory = commit.Changes.Any(c => knowledge.InRustDirectory(c.Path) && !HistorySegment.IsVendored(c.Path, vendored));
        commit.Record.TouchesRustDirectory = rustDirectory;
        commit.Record.Headers = rustDirectory
            ? commit.Changes.Select(c => c.Path).Where(p => p.StartsWith("include/", StringComparison.Ordinal) && p.EndsWith(".h", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList()
            : [];
    }
}
