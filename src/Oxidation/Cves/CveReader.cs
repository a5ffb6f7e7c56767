using System.Collections.Concurrent;
using System.IO.Enumeration;
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
    /// <summary>Reads every record under <paramref name="path"/> into memory (for tests and small inputs; imports stream).</summary>
    public static CveReadResult Read(string path, int parallelism = 0)
    {
        var records = new ConcurrentBag<CveRecord>();
        var (problems, files, _, replaced) = Stream(path, records.Add, parallelism);
        var winners = replaced.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var list = records.Select(r => winners.GetValueOrDefault(r.Id) ?? r).OrderBy(r => r.Path, StringComparer.Ordinal).ToList();
        return new CveReadResult(list, problems, files);
    }

    /// <summary>
    /// Streams every record under <paramref name="path"/> to <paramref name="accept"/>, called on the reading threads,
    /// so memory does not grow with the number of records. Of records sharing an id, the one at the first path in
    /// sort order wins: when a later path was accepted first, the winner is returned in <c>Replaced</c> for the
    /// caller to swap in (duplicates are rare, so these are the only records kept).
    /// </summary>
    public static (IReadOnlyList<CveProblem> Problems, long Files, long Records, IReadOnlyList<CveRecord> Replaced) Stream(string path, Action<CveRecord> accept, int parallelism = 0)
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
        var seen = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var gate = new Lock();
        var replaced = new Dictionary<string, CveRecord>(StringComparer.Ordinal);
        var duplicates = new ConcurrentBag<CveProblem>();
        long records = 0;
        var sink = new Sink(record =>
        {
            lock (gate)
            {
                if (seen.TryGetValue(record.Id, out var first))
                {
                    if (string.CompareOrdinal(record.Path, first) < 0)
                    {
                        duplicates.Add(new CveProblem(first, $"duplicate id {record.Id}, already read from {record.Path}"));
                        seen[record.Id] = record.Path;
                        replaced[record.Id] = record;
                    }
                    else
                    {
                        duplicates.Add(new CveProblem(record.Path, $"duplicate id {record.Id}, already read from {first}"));
                    }
                    return;
                }
                seen[record.Id] = record.Path;
            }
            Interlocked.Increment(ref records);
            accept(record);
        });
        try
        {
            tree.ReadAll(sink, parallelism > 0 ? parallelism : Environment.ProcessorCount, CancellationToken.None);
        }
        catch (SourceTreeException ex)
        {
            throw new CveReadException(ex.Message, ex);
        }
        if (sink.Files == 0)
        {
            // Say why when the tree said why (an unreadable directory stops its listing), rather than only "none".
            var why = sink.Problems.OrderBy(p => p.Path, StringComparer.Ordinal).FirstOrDefault(p => !p.Reason.StartsWith("a link", StringComparison.Ordinal));
            throw new CveReadException(why is null
                ? $"{path}: no CVE records found (expected cve/published/YEAR/CVE-YEAR-N.json)"
                : $"{path}: no CVE records read ({why.Path}: {why.Reason})");
        }
        var problems = sink.Problems.Concat(duplicates).OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
        return (problems, sink.Files, records, [.. replaced.Values.OrderBy(r => r.Id, StringComparer.Ordinal)]);
    }

    /// <summary>Paths relative to the checkout or archive root: <c>cve/…</c>, or <c>vulns/cve/…</c> in an archive of the checkout.</summary>
    internal static string Normalize(string path)
    {
        var at = path.IndexOf("cve/", StringComparison.Ordinal);
        return at > 0 && path[at - 1] == '/' ? path[at..] : path;
    }

    internal static bool IsCandidate(string path)
    {
        var normalized = Normalize(path);
        return normalized.StartsWith("cve/", StringComparison.Ordinal) && normalized.EndsWith(".json", StringComparison.Ordinal);
    }

    private sealed class Sink(Action<CveRecord> accept) : ISourceFileSink
    {
        private long _files;

        public ConcurrentBag<CveProblem> Problems { get; } = [];
        public long Files => Interlocked.Read(ref _files);

        public void File(SourceFile file)
        {
            Interlocked.Increment(ref _files);
            var record = CveParser.TryParse(Normalize(file.Path), file.Content, out var problem);
            if (record is not null)
                accept(record);
            else if (problem is not null)
                Problems.Add(problem);
        }

        public void Problem(string path, string reason) => Problems.Add(new CveProblem(path, reason));

        // A link is not followed (it may lead out of the checkout, or round a loop), as in a scan; one under cve/
        // stands where records or a year of them may be expected, so it is reported rather than passed over.
        public void Link(string path)
        {
            var normalized = Normalize(path);
            if (normalized.StartsWith("cve/", StringComparison.Ordinal))
                Problems.Add(new CveProblem(normalized, "a link, not followed"));
        }

        public void Progress(long files, long bytes, long total)
        {
        }
    }
}

/// <summary>Summaries of records that do not depend on a database.</summary>
public static class CveFacts
{
    /// <summary>
    /// The fingerprint of what a classifier reads of a record (subject, description, the files the fix touched): the key
    /// of the classification cache, so an unchanged record is never classified twice by the same classifier.
    /// </summary>
    public static string ClassificationKey(CveRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string s)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(s));
            hash.AppendData([0]);
        }
        Add(record.Subject);
        Add(record.Description);
        foreach (var file in record.ProgramFiles)
            Add(file);
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

    /// <summary>
    /// The languages of the files a fix touched: <c>rust</c> when any is a <c>.rs</c> file, else <c>c-only</c>
    /// (only <c>.c</c>), <c>headers</c> (only <c>.h</c>), <c>c-with-headers</c>, <c>assembly</c>, <c>none</c>
    /// (no programFiles), or <c>mixed</c>.
    /// </summary>
    public static string LanguageCategory(IEnumerable<string> files)
    {
        var kinds = files.Select(f => Path.GetExtension(f) switch
        {
            ".rs" => "rs",
            ".c" => "c",
            ".h" => "h",
            ".S" or ".s" => "asm",
            _ => "other",
        }).ToHashSet();
        if (kinds.Contains("rs"))
            return "rust";
        if (kinds.Count == 0)
            return "none";
        if (kinds.SetEquals(["c"]))
            return "c-only";
        if (kinds.SetEquals(["h"]))
            return "headers";
        if (kinds.SetEquals(["c", "h"]))
            return "c-with-headers";
        if (kinds.SetEquals(["asm"]))
            return "assembly";
        return "mixed";
    }

    /// <summary>
    /// A fingerprint of what an import would read: for an archive its path, size and time; for a directory the
    /// path, size and time of every record file, listed as <see cref="DirectoryTree"/> lists them (no link followed,
    /// <c>.git</c> not entered), so nothing outside the tree is looked at. Listing is cheap, so an unchanged
    /// checkout is recognised in well under a second without reading a record.
    /// </summary>
    public static string Fingerprint(string path)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string s) => hash.AppendData(System.Text.Encoding.UTF8.GetBytes(s + "\n"));
        Add(CveParser.Rules);
        if (File.Exists(path))
        {
            var info = new FileInfo(path);
            Add($"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}");
        }
        else if (Directory.Exists(path))
        {
            var root = Path.GetFullPath(path);
            Add(root);
            try
            {
                foreach (var entry in ListRecordFiles(root).OfType<string>().Order(StringComparer.Ordinal))
                    Add(entry);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // What could not be listed cannot be vouched for: a fingerprint that matches nothing, so the
                // import runs and reports the unreadable part itself.
                Add($"incomplete listing|{Guid.NewGuid()}");
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>"relative path|size|time" of every file the reader would open under <paramref name="root"/>, and each link it would report.</summary>
    private static FileSystemEnumerable<string?> ListRecordFiles(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false };
        var rootLength = root.Length + (Path.EndsInDirectorySeparator(root) ? 0 : 1);
        return new FileSystemEnumerable<string?>(root, (ref FileSystemEntry e) =>
        {
            var relative = e.ToFullPath()[rootLength..].Replace('\\', '/');
            if ((e.Attributes & FileAttributes.ReparsePoint) != 0)
                return $"{relative}|link";
            if (e.IsDirectory || !CveReader.IsCandidate(relative))
                return null;
            return $"{relative}|{e.Length}|{e.LastWriteTimeUtc.Ticks}";
        }, options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) != 0 || !e.IsDirectory,
            ShouldRecursePredicate = (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) == 0 && !e.FileName.SequenceEqual(".git"),
        };
    }
}
