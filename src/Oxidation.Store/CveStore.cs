using System.Globalization;
using DuckDB.NET.Data;
using Oxidation.Cves;

namespace Oxidation.Store;

/// <summary>What an import read and stored: problems, files, records by state, records with no text, and the classifier's work.</summary>
/// <param name="Problems">Records skipped, with the reason.</param>
/// <param name="Files">Record files read.</param>
/// <param name="Published">Published records stored.</param>
/// <param name="Rejected">Rejected records stored.</param>
/// <param name="NoText">Stored records with no text (classed <c>other</c>, low confidence).</param>
/// <param name="Classified">Records the classifier classified in this import.</param>
/// <param name="Cached">Records whose classification came from the classification cache.</param>
/// <param name="Classifier">The classifier's version.</param>
public sealed record CveImport(IReadOnlyList<CveProblem> Problems, long Files, long Published, long Rejected, long NoText, long Classified, long Cached, string Classifier);

/// <summary>An affected range of a stored record, as <c>cve_ranges</c> holds it.</summary>
public sealed record StoredRange(int Group, string Kind, string Version, string? LessThan, string? LessThanOrEqual, string Status, string DefaultStatus);

/// <summary>One stored record with its classification, files, fixes and ranges (<c>cves show</c>).</summary>
public sealed record CveDetail(
    string Id, string State, int Year, string Subject, string Class, bool MemorySafety, bool PreventedBySafeRust, string Confidence, string Evidence,
    string? CvssVector, double? CvssScore, string Language, string Description, IReadOnlyList<string> Files, IReadOnlyList<string> Fixes, IReadOnlyList<StoredRange> Ranges);

/// <summary>A line of <c>cves list</c>.</summary>
public sealed record CveListRow(string Id, int Year, string Class, string Confidence, string Subject);

/// <summary>What <c>cves list</c> filters on: state, and optionally class, first year, a path the fix touched (a file or a directory).</summary>
public sealed record CveFilter(bool Rejected, string? Class, int? Since, string? Path);

/// <summary>The CVE tables: written whole by an import, in one transaction, and read by the <c>cves</c> commands.</summary>
public static class CveStore
{
    internal static readonly string[] Tables = TableRegistry.Names(TableGroup.Cve);

    /// <summary>Records classified per batch: large enough for the model to batch well, small enough to bound memory.</summary>
    private const int Batch = 1024;

    private static readonly string[] RecordTables = ["cves", "cve_files", "cve_ranges", "cve_fixes"];

    /// <summary>The records stored (published and rejected).</summary>
    public static long Count(OxidationDatabase db) => Convert.ToInt64(db.Query("SELECT count(*) FROM cves")[0][0], CultureInfo.InvariantCulture);

    /// <summary>The published records stored.</summary>
    public static long PublishedCount(OxidationDatabase db) => Convert.ToInt64(db.Query("SELECT count(*) FROM cves WHERE state = 'published'")[0][0], CultureInfo.InvariantCulture);

    /// <summary>Every stored record's class, by id.</summary>
    public static Dictionary<string, string> Classes(OxidationDatabase db) =>
        db.Query("SELECT id, class FROM cves").ToDictionary(x => (string)x[0]!, x => (string)x[1]!, StringComparer.Ordinal);

    /// <summary>One record by its id (upper case), or null when it is not stored.</summary>
    public static CveDetail? Detail(OxidationDatabase db, string id)
    {
        var row = db.Query("SELECT id, state, year, subject, class, memory_safety, prevented_by_safe_rust, confidence, evidence, cvss_vector, cvss_score, language, description FROM cves WHERE id = $1", id).FirstOrDefault();
        if (row is null)
            return null;
        var files = db.Query("SELECT path FROM cve_files WHERE id = $1 ORDER BY path", id).Select(r => (string)r[0]!).ToList();
        var fixes = db.Query("SELECT commit FROM cve_fixes WHERE id = $1", id).Select(r => (string)r[0]!).ToList();
        var ranges = db.Query("SELECT grp, kind, version, less_than, less_than_or_equal, status, default_status FROM cve_ranges WHERE id = $1 ORDER BY grp", id)
            .Select(r => new StoredRange(Convert.ToInt32(r[0], CultureInfo.InvariantCulture), (string)r[1]!, (string)r[2]!, r[3] as string, r[4] as string, (string)r[5]!, (string)r[6]!)).ToList();
        return new CveDetail((string)row[0]!, (string)row[1]!, Convert.ToInt32(row[2], CultureInfo.InvariantCulture), (string)row[3]!, (string)row[4]!, (bool)row[5]!, (bool)row[6]!,
            (string)row[7]!, (string)row[8]!, row[9] as string, row[10] as double?, (string)row[11]!, (string)row[12]!, files, fixes, ranges);
    }

    /// <summary>The records matching <paramref name="filter"/>, by id.</summary>
    public static List<CveListRow> List(OxidationDatabase db, CveFilter filter) =>
        [.. db.Query("""
            SELECT id, year, class, confidence, subject FROM cves c WHERE state = $1 AND ($2 IS NULL OR class = $2) AND ($3 IS NULL OR year >= $3)
              AND ($4 IS NULL OR EXISTS (SELECT 1 FROM cve_files f WHERE f.id = c.id AND (f.path = $4 OR starts_with(f.path, rtrim($4, '/') || '/'))))
            ORDER BY id
            """, filter.Rejected ? "rejected" : "published", filter.Class, filter.Since, filter.Path)
            .Select(r => new CveListRow((string)r[0]!, Convert.ToInt32(r[1], CultureInfo.InvariantCulture), (string)r[2]!, (string)r[3]!, (string)r[4]!))];

    /// <summary>The fingerprint of the last import, or null.</summary>
    public static string? LastFingerprint(OxidationDatabase db) =>
        db.Query("SELECT value FROM meta WHERE key = 'cve_fingerprint'").Select(r => r[0] as string).FirstOrDefault();

    /// <summary>
    /// Replaces every CVE row with <paramref name="read"/>, classified by <paramref name="classifier"/>, in one
    /// transaction. <paramref name="failAfter"/> is for tests: the write throws after that many records.
    /// </summary>
    public static void Save(OxidationDatabase db, CveReadResult read, ICveClassifier classifier, string fingerprint, int? failAfter = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(classifier);
        db.InTransaction(() =>
        {
            foreach (var table in Tables)
                db.Execute($"DELETE FROM {table}");
            var cache = new ClassificationCache(db, classifier);
            var classes = cache.Classify(read.Records);
            using (var writer = new Appenders(db, classifier.Version))
            {
                for (var i = 0; i <= read.Records.Count; i++)
                {
                    if (failAfter == i)
                        throw new StoreException($"{db.Path}: import interrupted (test)");
                    if (i < read.Records.Count)
                        writer.Write(read.Records[i], classes[i]);
                }
            }
            cache.Save(db);
            Finish(db, read.Problems, fingerprint, classifier);
            return true;
        }, error => $"{db.Path}: could not store the CVE records ({error}); database unchanged");
    }

    /// <summary>
    /// Imports the records under <paramref name="path"/> streaming: parsed on the reading threads, classified there in
    /// batches through the classification cache (only records this classifier has not seen cost a classification),
    /// appended by one writer through a bounded queue, all in one transaction. Memory stays bounded by the batches and
    /// the queue, whatever the number of records. Returns what the import read.
    /// </summary>
    public static CveImport Import(OxidationDatabase db, string path, ICveClassifier classifier, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        return db.InTransaction(() =>
        {
            foreach (var table in Tables)
                db.Execute($"DELETE FROM {table}");
            var cache = new ClassificationCache(db, classifier);
            var queue = new System.Collections.Concurrent.BlockingCollection<(CveRecord, Classification)>(boundedCapacity: 2 * Batch);
            var writers = new Appenders(db, classifier.Version);
            var writer = Task.Run(() =>
            {
                foreach (var (record, classification) in queue.GetConsumingEnumerable())
                    writers.Write(record, classification);
            });
            var gate = new Lock();
            var pending = new List<CveRecord>(Batch);
            void Flush(List<CveRecord> batch)
            {
                var classes = cache.Classify(batch);
                for (var i = 0; i < batch.Count; i++)
                    queue.Add((batch[i], classes[i]));
            }
            (IReadOnlyList<CveProblem> Problems, long Files, long Records, IReadOnlyList<CveRecord> Replaced) read;
            try
            {
                read = CveReader.Stream(path, record =>
                {
                    List<CveRecord>? full = null;
                    lock (gate)
                    {
                        pending.Add(record);
                        if (pending.Count >= Batch)
                        {
                            full = pending;
                            pending = new List<CveRecord>(Batch);
                        }
                    }
                    if (full is not null)
                        Flush(full);
                });
                Flush(pending);
            }
            finally
            {
                queue.CompleteAdding();
                writer.GetAwaiter().GetResult();
                writers.Dispose();
            }
            // A record replaced by a duplicate at an earlier path: swap it in.
            var winners = cache.Classify(read.Replaced);
            for (var w = 0; w < read.Replaced.Count; w++)
            {
                foreach (var table in RecordTables)
                {
                    using var delete = db.Command($"DELETE FROM {table} WHERE id = $1", read.Replaced[w].Id);
                    delete.ExecuteNonQuery();
                }
                using var again = new Appenders(db, classifier.Version);
                again.Write(read.Replaced[w], winners[w]);
            }
            cache.Save(db);
            Finish(db, read.Problems, fingerprint, classifier);
            // Counted from the rows, not as records arrive: a record that arrived first may have been replaced
            // by a duplicate at an earlier path, in another state (issue 10: 6 + 1 reported, 7 + 0 stored).
            var counts = db.Query($"SELECT count(*) FILTER (WHERE state = 'published'), count(*) FILTER (WHERE state = 'rejected'), count(*) FILTER (WHERE evidence = '{BugClassifier.NoTextEvidence}') FROM cves")[0];
            static long Long(object? o) => Convert.ToInt64(o, System.Globalization.CultureInfo.InvariantCulture);
            return new CveImport(read.Problems, read.Files, Long(counts[0]), Long(counts[1]), Long(counts[2]), cache.Classified, cache.Hits, classifier.Version);
        }, error => $"{db.Path}: could not store the CVE records ({error}); database unchanged");
    }

    /// <summary>The skipped records and the fingerprint of the input, last in an import's transaction.</summary>
    private static void Finish(OxidationDatabase db, IEnumerable<CveProblem> problems, string fingerprint, ICveClassifier classifier)
    {
        SaveOutOfFold(db, classifier);
        using (var appender = db.Connection.CreateAppender("cve_problems"))
        {
            foreach (var p in problems)
                appender.CreateRow().AppendValue(p.Path).AppendValue(p.Reason).EndRow();
        }
        SaveMeta(db, fingerprint);
    }

    private static void SaveOutOfFold(OxidationDatabase db, ICveClassifier classifier)
    {
        db.Execute("DELETE FROM cve_out_of_fold");
        using var appender = db.Connection.CreateAppender("cve_out_of_fold");
        foreach (var (id, cls) in classifier.OutOfFoldClasses.OrderBy(p => p.Key, StringComparer.Ordinal))
            appender.CreateRow().AppendValue(id).AppendValue(cls).EndRow();
    }

    /// <summary>
    /// The out-of-fold classes of the labelled records the stored classifier was trained on (empty for the rules):
    /// what <see cref="CveStatistics.CorrectedShare"/> takes as the classifier's prediction for those records.
    /// </summary>
    public static IReadOnlyDictionary<string, string> OutOfFoldClasses(OxidationDatabase db) =>
        db.Query("SELECT id, class FROM cve_out_of_fold").ToDictionary(r => (string)r[0]!, r => (string)r[1]!, StringComparer.Ordinal);

    /// <summary>The published records whose class their fix diff decided (<see cref="FixDiffClassifier"/>: evidence <c>fix diff …</c>).</summary>
    public static long DecidedByFixDiff(OxidationDatabase db) =>
        Convert.ToInt64(db.Query("SELECT count(*) FROM cves WHERE state = 'published' AND starts_with(evidence, 'fix diff ')")[0][0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The version of the classifier the stored records were classified with, or null before an import.</summary>
    public static string? ClassifierVersion(OxidationDatabase db) =>
        db.Query("SELECT min(classifier) FROM cves WHERE state = 'published'").Select(r => r[0] as string).FirstOrDefault();

    private static void SaveMeta(OxidationDatabase db, string fingerprint)
    {
        using var cmd = db.Command("INSERT OR REPLACE INTO meta VALUES ('cve_fingerprint', $1), ('cve_imported_at', $2)",
            fingerprint, DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        cmd.ExecuteNonQuery();
    }

    /// <summary>The appenders of the record tables, writing one record with its classification.</summary>
    private sealed class Appenders(OxidationDatabase db, string classifier) : IDisposable
    {
        private readonly DuckDBAppender _cves = db.Connection.CreateAppender("cves");
        private readonly DuckDBAppender _files = db.Connection.CreateAppender("cve_files");
        private readonly DuckDBAppender _ranges = db.Connection.CreateAppender("cve_ranges");
        private readonly DuckDBAppender _fixes = db.Connection.CreateAppender("cve_fixes");
        public void Write(CveRecord r, Classification c)
        {
            _cves.CreateRow().AppendValue(r.Id).AppendValue(r.State).AppendValue(r.Year).AppendValue(r.Path).AppendValue(r.Title)
                .AppendValue(r.Subject).AppendValue(r.Description).AppendValue(r.CvssVector).AppendValue(r.CvssScore)
                .AppendValue(c.Class).AppendValue(c.MemorySafety).AppendValue(c.PreventedBySafeRust)
                .AppendValue(c.Confidence.ToString().ToLowerInvariant()).AppendValue(c.Evidence)
                .AppendValue(CveFacts.LanguageCategory(r.ProgramFiles)).AppendValue(classifier).EndRow();
            foreach (var f in r.ProgramFiles)
                _files.CreateRow().AppendValue(r.Id).AppendValue(f).EndRow();
            foreach (var g in r.Ranges)
            {
                _ranges.CreateRow().AppendValue(r.Id).AppendValue(g.Group).AppendValue(g.Kind).AppendValue(g.Version)
                    .AppendValue(g.LessThan).AppendValue(g.LessThanOrEqual).AppendValue(g.Status).AppendValue(g.DefaultStatus).EndRow();
            }
            foreach (var f in r.Fixes)
                _fixes.CreateRow().AppendValue(r.Id).AppendValue(f).EndRow();
        }

        public void Dispose()
        {
            _cves.Dispose();
            _files.Dispose();
            _ranges.Dispose();
            _fixes.Dispose();
        }
    }

    /// <summary>
    /// Re-classifies every stored record with <paramref name="classifier"/> (through the classification cache), in one
    /// transaction; returns each record's id, state and classification in id order.
    /// </summary>
    public static List<(string Id, string State, Classification Classification)> Reclassify(OxidationDatabase db, ICveClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        return db.InTransaction(() =>
        {
            var records = Records(db, "true");
            var cache = new ClassificationCache(db, classifier);
            var classes = cache.Classify(records);
            db.Execute("CREATE TEMP TABLE IF NOT EXISTS reclass (id VARCHAR, class VARCHAR, memory_safety BOOLEAN, prevented BOOLEAN, confidence VARCHAR, evidence VARCHAR)");
            db.Execute("DELETE FROM reclass");
            using (var appender = db.Connection.CreateAppender("reclass"))
            {
                for (var i = 0; i < records.Count; i++)
                {
                    var c = classes[i];
                    appender.CreateRow().AppendValue(records[i].Id).AppendValue(c.Class).AppendValue(c.MemorySafety).AppendValue(c.PreventedBySafeRust)
                        .AppendValue(c.Confidence.ToString().ToLowerInvariant()).AppendValue(c.Evidence).EndRow();
                }
            }
            using (var update = db.Command("""
                UPDATE cves SET class = r.class, memory_safety = r.memory_safety, prevented_by_safe_rust = r.prevented,
                    confidence = r.confidence, evidence = r.evidence, classifier = $1
                FROM reclass r WHERE cves.id = r.id
                """, classifier.Version))
            {
                update.ExecuteNonQuery();
            }
            cache.Save(db);
            SaveOutOfFold(db, classifier);
            return records.Select((r, i) => (r.Id, r.State, classes[i])).ToList();
        }, error => $"{db.Path}: could not store the classifications ({error}); database unchanged");
    }

    /// <summary>Rebuilds the records (for range queries) from the tables.</summary>
    public static List<CveRecord> Records(OxidationDatabase db, string where = "state = 'published'")
    {
        var ranges = db.Query("SELECT id, grp, kind, version, less_than, less_than_or_equal, status, default_status FROM cve_ranges")
            .GroupBy(r => (string)r[0]!)
            .ToDictionary(g => g.Key, g => g.Select(r => new AffectedRange((string)r[2]!, (string)r[3]!, r[4] as string, r[5] as string,
                (string)r[6]!, (string)r[7]!, Convert.ToInt32(r[1], System.Globalization.CultureInfo.InvariantCulture))).ToList());
        var files = db.Query("SELECT id, path FROM cve_files").GroupBy(r => (string)r[0]!).ToDictionary(g => g.Key, g => g.Select(r => (string)r[1]!).ToList());
        // In the order the record references them (the order they were appended): cves classify --repo reads the first the clone holds.
        var fixes = db.Query("SELECT id, commit FROM cve_fixes ORDER BY rowid").GroupBy(r => (string)r[0]!).ToDictionary(g => g.Key, g => g.Select(r => (string)r[1]!).ToList());
        return [.. db.Query($"SELECT id, state, year, path, title, subject, description, cvss_vector, cvss_score FROM cves WHERE {where} ORDER BY id")
            .Select(r => new CveRecord((string)r[0]!, (string)r[1]!, Convert.ToInt32(r[2], System.Globalization.CultureInfo.InvariantCulture), (string)r[3]!,
                r[4] as string, (string)r[5]!, (string)r[6]!, files.GetValueOrDefault((string)r[0]!) ?? [],
                ranges.GetValueOrDefault((string)r[0]!) ?? [], fixes.GetValueOrDefault((string)r[0]!) ?? [], r[7] as string, r[8] as double?))];
    }

    /// <summary>
    /// The statistics of the published records (<c>oxidation cves stats</c>, the report): densities against the scanned
    /// <paramref name="release"/> (default: the newest scanned), Rust exposure up to <paramref name="asOf"/> (default: the import day).
    /// </summary>
    public static CveStats Statistics(OxidationDatabase db, string? release = null, DateOnly? asOf = null)
    {
        var rows = StatRows(db);
        var rejected = Convert.ToInt32(db.Query("SELECT count(*) FROM cves WHERE state = 'rejected'")[0][0], System.Globalization.CultureInfo.InvariantCulture);
        var lines = ReleaseLinesFor(db, release);
        var importedAt = db.Query("SELECT value FROM meta WHERE key = 'cve_imported_at'").Select(r => r[0] as string).FirstOrDefault();
        var date = asOf ?? (importedAt is not null ? DateOnly.FromDateTime(DateTime.Parse(importedAt, System.Globalization.CultureInfo.InvariantCulture)) : DateOnly.FromDateTime(DateTime.UtcNow));
        var maintainersOf = MaintainersFor(db, lines?.Release);
        return CveStatistics.Compute(rows, rejected, lines, date, maintainersOf, lines?.Release, CveLabels.Calibration, OutOfFoldClasses(db))
            with
        { Classifier = ClassifierVersion(db) };
    }

    /// <summary>The published records as the statistics read them (id, year, subject, class, flags, confidence, language, files), by id;
    /// without <paramref name="withFiles"/> the files are left empty (the memory-safety share needs none).</summary>
    public static List<CveStatRow> StatRows(OxidationDatabase db, bool withFiles = true)
    {
        var files = withFiles
            ? db.Query("SELECT id, path FROM cve_files").GroupBy(r => (string)r[0]!).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(r => (string)r[1]!).Order(StringComparer.Ordinal)])
            : [];
        return [.. db.Query("SELECT id, year, subject, class, memory_safety, confidence, language FROM cves WHERE state = 'published' ORDER BY id")
            .Select(r => new CveStatRow((string)r[0]!, Convert.ToInt32(r[1], CultureInfo.InvariantCulture), (string)r[2]!, (string)r[3]!, (bool)r[4]!, (string)r[5]!, (string)r[6]!,
                files.GetValueOrDefault((string)r[0]!) ?? []))];
    }

    internal static ReleaseLines? ReleaseLinesFor(OxidationDatabase db, string? release)
    {
        var rows = db.Query("""
            SELECT r.release, coalesce(sum(l.code) FILTER (WHERE l.language IN ('C', 'C/C++ Header')), 0)::BIGINT, r.kernel_rust_code
            FROM releases r LEFT JOIN languages l ON l.release = r.release
            WHERE $1 IS NULL OR r.release = $1
            GROUP BY r.release, r.kernel_rust_code, r.scanned_at ORDER BY r.scanned_at DESC LIMIT 1
            """, release);
        if (rows.Count == 0)
            return null;
        var name = (string)rows[0][0]!;
        return new ReleaseLines(name, Convert.ToInt64(rows[0][1], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(rows[0][2], System.Globalization.CultureInfo.InvariantCulture))
        {
            Files = db.Query("SELECT path FROM files WHERE release = $1", name).Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal),
        };
    }

    /// <summary>The MAINTAINERS entries of a scanned release, as a lookup from a path to the entries covering it.</summary>
    internal static Func<string, IEnumerable<string>>? MaintainersFor(OxidationDatabase db, string? release)
    {
        if (release is null || db.Query("SELECT content FROM maintainers_files WHERE release = $1", release).FirstOrDefault()?[0] is not string text)
            return null;
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in db.Query("SELECT path FROM files WHERE release = $1", release))
        {
            var path = (string)row[0]!;
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
                directories.Add(path[..slash]);
        }
        var index = new Oxidation.Maintainers.MaintainersIndex(
            Oxidation.Maintainers.MaintainersFile.Parse(System.Text.Encoding.UTF8.GetBytes(text), directories.Contains),
            new HashSet<string>(StringComparer.Ordinal) { "THE REST" });
        // Every fixed file at once, on all cores: matching is the costly part of the statistics.
        var paths = db.Query("SELECT DISTINCT path FROM cve_files").Select(r => (string)r[0]!).ToList();
        var covering = paths.AsParallel().Select(p => (p, Names: index.Covering(p).Select(e => e.Name).ToArray())).ToDictionary(x => x.p, x => x.Names, StringComparer.Ordinal);
        return path => covering.GetValueOrDefault(path) ?? [];
    }

}
