using System.Collections.Concurrent;
using Oxidation.Tree;

namespace Oxidation.Cves;

/// <summary>What an import read: records, the files that could not be imported and why, and how many files were looked at.</summary>
public sealed record CveReadResult(IReadOnlyList<CveRecord> Records, IReadOnlyList<CveProblem> Problems, long Files);

/// <summary>Reading the CNA's records could not start: a missing path, an archive that cannot be read, no records at all.</summary>
public sealed class CveReadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads the records of a <c>vulns</c> checkout or an archive with its layout: only <c>.json</c> files under
/// <c>cve/</c> are opened (the <c>.mbox</c>, <c>.sha1</c> … side files are not), parsed on several threads.
/// </summary>
public static class CveReader
{
    /// <summary>Reads every record under <paramref name="path"/>.</summary>
    public static CveReadResult Read(string path, int parallelism = 0, IProgress<(long Files, long Bytes, long Total)>? progress = null)
    {
        ISourceTree tree;
        try
        {
            tree = SourceTrees.Open(path, IsCandidate, stripTopDirectory: false);
        }
        catch (SourceTreeException ex)
        {
            throw new CveReadException(ex.Message, ex);
        }
        var sink = new Sink(progress);
        try
        {
            tree.ReadAll(sink, parallelism > 0 ? parallelism : Environment.ProcessorCount, CancellationToken.None);
        }
        catch (SourceTreeException ex)
        {
            throw new CveReadException(ex.Message, ex);
        }
        if (sink.Files == 0)
            throw new CveReadException($"{path}: no CVE records found (expected cve/published/YEAR/CVE-YEAR-N.json)");
        var records = new List<CveRecord>();
        var problems = sink.Problems.ToList();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in sink.Records.OrderBy(r => r.Path, StringComparer.Ordinal))
        {
            if (seen.TryGetValue(record.Id, out var first))
            {
                problems.Add(new CveProblem(record.Path, $"duplicate id {record.Id}, already read from {first}"));
                continue;
            }
            seen[record.Id] = record.Path;
            records.Add(record);
        }
        problems.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new CveReadResult(records, problems, sink.Files);
    }

    /// <summary>Paths relative to the checkout or archive root: <c>cve/…</c>, or <c>vulns/cve/…</c> in an archive of the checkout.</summary>
    internal static string Normalize(string path)
    {
        var at = path.IndexOf("cve/", StringComparison.Ordinal);
        return at > 0 && path[at - 1] == '/' ? path[at..] : path;
    }

    private static bool IsCandidate(string path)
    {
        var normalized = Normalize(path);
        return normalized.StartsWith("cve/", StringComparison.Ordinal) && normalized.EndsWith(".json", StringComparison.Ordinal);
    }

    private sealed class Sink(IProgress<(long, long, long)>? progress) : ISourceFileSink
    {
        private long _files;

        public ConcurrentBag<CveRecord> Records { get; } = [];
        public ConcurrentBag<CveProblem> Problems { get; } = [];
        public long Files => Interlocked.Read(ref _files);

        public void File(SourceFile file)
        {
            Interlocked.Increment(ref _files);
            var record = CveParser.TryParse(Normalize(file.Path), file.Content, out var problem);
            if (record is not null)
                Records.Add(record);
            else if (problem is not null)
                Problems.Add(problem);
        }

        public void Problem(string path, string reason) => Problems.Add(new CveProblem(path, reason));

        public void Link(string path)
        {
        }

        public void Progress(long files, long bytes, long total) => progress?.Report((files, bytes, total));
    }
}
