using Oxidation.Counting;
using Oxidation.History;
using Oxidation.Rust;

namespace Oxidation.Git;

/// <summary>
/// Rust lines per area at each segment's tip (docs/history.md, "Rust lines at each tag"), with the scan's lexer and areas:
/// blobs counted and subtrees listed are cached by id, so what an earlier tag counted is not read again. Records the
/// segment's <c>Lines</c>.
/// </summary>
internal sealed class RustLinesObserver(RustKnowledge knowledge) : IHistoryObserver
{
    private readonly Dictionary<Oid, LineStats> _blobLines = [];
    private readonly Dictionary<Oid, List<(string Path, Oid Blob)>> _treeRustFiles = [];

    public void EndSegment(HistorySegment segment) => segment.Lines = LinesAt(segment);

    private List<TagLines> LinesAt(HistorySegment segment)
    {
        var commit = segment.Tip;
        var vendored = segment.VendoredCratesAt(commit);
        var totals = new Dictionary<string, (long Files, LineStats Lines)>(StringComparer.Ordinal);
        // Raw trees and blobs, as the describing threads read them: LibGit2Sharp's tree objects cost a native call and
        // an object per entry, and a kernel tree has 80,000 entries.
        var reader = segment.Readers.Take();
        try
        {
            var files = GitReads.Named($"the tree of {commit.Sha}", () => RustFiles(reader, Oid.From(commit.Tree.Id.RawId)));
            foreach (var (path, blob) in files)
            {
                if (!_blobLines.TryGetValue(blob, out var lines))
                {
                    lines = GitReads.Named($"{path} ({blob}) at {commit.Sha}", () => RustLexer.CountLines(reader.Blob(blob)));
                    _blobLines[blob] = lines;
                }
                var area = HistorySegment.IsVendored(path, vendored) ? "vendored" : knowledge.AreaOf(path);
                var current = totals.GetValueOrDefault(area);
                totals[area] = (current.Files + 1, current.Lines + lines);
            }
        }
        finally
        {
            segment.Readers.Return(reader);
        }
        return [.. totals.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => new TagLines(segment.Release, t.Key, t.Value.Files, t.Value.Lines.Code, t.Value.Lines.Comment, t.Value.Lines.Blank))];
    }

    /// <summary>The <c>.rs</c> files under a tree, cached by tree id with paths relative to it: an unchanged directory is walked once for all tags.</summary>
    private List<(string Path, Oid Blob)> RustFiles(CommitReader reader, Oid tree)
    {
        if (!_treeRustFiles.TryGetValue(tree, out var relative))
        {
            relative = [];
            foreach (var (name, kind, id) in reader.Entries(tree))
            {
                if (kind == TreeItemKind.Tree)
                    relative.AddRange(RustFiles(reader, id).Select(f => ($"{name}/{f.Path}", f.Blob)));
                else if (kind == TreeItemKind.Blob && name.EndsWith(".rs", StringComparison.Ordinal))
                    relative.Add((name, id));
            }
            _treeRustFiles[tree] = relative;
        }
        return relative;
    }
}
