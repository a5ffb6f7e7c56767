using System.Globalization;
using Oxidation.History;

namespace Oxidation.Store;

/// <summary>
/// The mined history: each segment (a release, or the unreleased tail) is written in its own transaction, so an
/// interrupted run keeps what it finished and resumes at the next segment; nothing is half-written.
/// </summary>
public static class HistoryStore
{
    private static readonly string[] Tables = TableRegistry.Names(TableGroup.History);

    /// <summary>
    /// What is stored for <paramref name="repository"/>: nothing when the database holds another repository's history,
    /// which the first segment stored replaces (in its transaction: a run that stores nothing leaves it as it was).
    /// </summary>
    public static HistoryState State(OxidationDatabase db, string repository)
    {
        if (StoredRepository(db) is { } stored && stored != repository)
            return new HistoryState(new HashSet<string>(), null, new HashSet<string>());
        var complete = db.Query("SELECT release FROM history_releases WHERE NOT unreleased").Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        var tip = db.Query("SELECT tip FROM history_releases WHERE unreleased").Select(r => r[0] as string).FirstOrDefault();
        var unreleased = db.Query("SELECT sha FROM history_commits WHERE unreleased").Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        return new HistoryState(complete, tip, unreleased);
    }

    private static string? StoredRepository(OxidationDatabase db) =>
        db.Query("SELECT value FROM meta WHERE key = 'history_repository'").Select(r => r[0] as string).FirstOrDefault();

    /// <summary>
    /// Re-attributes the stored commits and trailers with <paramref name="employers"/> when it is not the map they were
    /// mined with (the map's fingerprint is kept in <c>meta</c>), in one transaction; nothing when it is.
    /// </summary>
    public static Reattribution Reattribute(OxidationDatabase db, EmployerMap employers) =>
        db.InTransaction(() => ReattributeStored(db, employers), error => $"{db.Path}: could not re-attribute the stored history to the new employer map ({error}); it is kept as it was");

    /// <summary>Inside a transaction: the employers of stored commits and trailers recomputed from their stored addresses and dates, as the miner computes them.</summary>
    private static Reattribution ReattributeStored(OxidationDatabase db, EmployerMap employers)
    {
        var fingerprint = employers.Fingerprint();
        var stored = db.Query("SELECT value FROM meta WHERE key = 'history_employers'").Select(r => r[0] as string).FirstOrDefault();
        if (stored == fingerprint)
            return default;
        static DateTimeOffset When(object? value) => new(Convert.ToDateTime(value, CultureInfo.InvariantCulture), TimeSpan.Zero);
        var commits = db.Query("SELECT sha, author_email, date, employer FROM history_commits");
        var changedCommits = commits.Select(r => (Sha: (string)r[0]!, Old: (string)r[3]!, New: employers.EmployerOf((string)r[1]!, When(r[2]))))
            .Where(c => c.Old != c.New).ToList();
        var changedTrailers = db.Query("SELECT t.sha, t.email, c.date, t.employer FROM history_trailers t JOIN history_commits c ON c.sha = t.sha")
            .Select(r => (Sha: (string)r[0]!, Email: (string)r[1]!, Old: (string)r[3]!, New: employers.EmployerOf((string)r[1]!, When(r[2]))))
            .Where(t => t.Old != t.New).Distinct().ToList();
        if (changedCommits.Count > 0)
        {
            db.Execute("CREATE TEMP TABLE IF NOT EXISTS reattributed_commits (sha VARCHAR, employer VARCHAR)");
            db.Execute("DELETE FROM reattributed_commits");
            using (var appender = db.Connection.CreateAppender("reattributed_commits"))
            {
                foreach (var c in changedCommits)
                    appender.CreateRow().AppendValue(c.Sha).AppendValue(c.New).EndRow();
            }
            db.Execute("UPDATE history_commits SET employer = r.employer FROM reattributed_commits r WHERE history_commits.sha = r.sha");
        }
        if (changedTrailers.Count > 0)
        {
            db.Execute("CREATE TEMP TABLE IF NOT EXISTS reattributed_trailers (sha VARCHAR, email VARCHAR, employer VARCHAR)");
            db.Execute("DELETE FROM reattributed_trailers");
            using (var appender = db.Connection.CreateAppender("reattributed_trailers"))
            {
                foreach (var t in changedTrailers)
                    appender.CreateRow().AppendValue(t.Sha).AppendValue(t.Email).AppendValue(t.New).EndRow();
            }
            db.Execute("UPDATE history_trailers SET employer = r.employer FROM reattributed_trailers r WHERE history_trailers.sha = r.sha AND history_trailers.email = r.email");
        }
        using (var cmd = db.Command("INSERT OR REPLACE INTO meta VALUES ('history_employers', $1)", fingerprint))
            cmd.ExecuteNonQuery();
        return new Reattribution(commits.Count, changedCommits.Count);
    }

    /// <summary>
    /// Stores one mined segment in one transaction: first, another repository's history is removed, and with
    /// <paramref name="employers"/> (the map the segment was mined with) stored commits mined with another map are re-attributed.
    /// </summary>
    public static Reattribution Save(OxidationDatabase db, string repository, MinedSegment segment, EmployerMap? employers = null)
    {
        return db.InTransaction(() =>
        {
            if (StoredRepository(db) is { } stored && stored != repository)
            {
                foreach (var t in Tables)
                    db.Execute($"DELETE FROM {t}");
                db.Execute("DELETE FROM meta WHERE key IN ('history_repository', 'history_employers')");
            }
            var reattributed = employers is null ? default : ReattributeStored(db, employers);
            using (var cmd = db.Command("INSERT OR REPLACE INTO meta VALUES ('history_repository', $1)", repository))
                cmd.ExecuteNonQuery();
            if (segment.Relabeled.Count > 0)
            {
                db.Execute("CREATE TEMP TABLE IF NOT EXISTS relabel (sha VARCHAR)");
                db.Execute("DELETE FROM relabel");
                using (var appender = db.Connection.CreateAppender("relabel"))
                {
                    foreach (var sha in segment.Relabeled)
                        appender.CreateRow().AppendValue(sha).EndRow();
                }
                using var cmd = db.Command("UPDATE history_commits SET release = $1, unreleased = false WHERE sha IN (SELECT sha FROM relabel)", segment.Release);
                cmd.ExecuteNonQuery();
            }
            if (segment.Unreleased)
            {
                // The tail is replaced: its label and line counts move with every run.
                db.Execute("DELETE FROM history_lines WHERE release IN (SELECT release FROM history_releases WHERE unreleased)");
                using var relabel = db.Command("UPDATE history_commits SET release = $1 WHERE unreleased", segment.Release);
                relabel.ExecuteNonQuery();
                db.Execute("DELETE FROM history_releases WHERE unreleased");
            }
            else
            {
                using var clear = db.Command("DELETE FROM history_lines WHERE release = $1", segment.Release);
                clear.ExecuteNonQuery();
            }
            using (var commits = db.Connection.CreateAppender("history_commits"))
            using (var trailers = db.Connection.CreateAppender("history_trailers"))
            using (var headers = db.Connection.CreateAppender("history_headers"))
            {
                foreach (var c in segment.Commits)
                {
                    commits.CreateRow().AppendValue(c.Sha).AppendValue(c.Release).AppendValue(c.Unreleased).AppendValue(c.Date.UtcDateTime)
                        .AppendValue(c.Author.Name).AppendValue(c.Author.Email).AppendValue(c.Employer).AppendValue(c.Merge).AppendValue(c.Subject)
                        .AppendValue(c.Rust).AppendValue(c.VendoredOnly).AppendValue(c.RustAdded).AppendValue(c.RustRemoved)
                        .AppendValue(c.VendoredAdded).AppendValue(c.VendoredRemoved).AppendValue(c.TouchesRustDirectory).AppendValue(c.FixesRustBuild).EndRow();
                    foreach (var t in c.Trailers)
                        trailers.CreateRow().AppendValue(c.Sha).AppendValue(t.Key).AppendValue(t.Person.Name).AppendValue(t.Person.Email).AppendValue(t.Employer).EndRow();
                    foreach (var h in c.Headers)
                        headers.CreateRow().AppendValue(c.Sha).AppendValue(h).EndRow();
                }
            }
            using (var lines = db.Connection.CreateAppender("history_lines"))
            {
                foreach (var l in segment.Lines)
                    lines.CreateRow().AppendValue(l.Release).AppendValue(l.Area).AppendValue(l.Files).AppendValue(l.Code).AppendValue(l.Comment).AppendValue(l.Blank).EndRow();
            }
            using (var release = db.Command("INSERT INTO history_releases VALUES ($1, $2, $3, (SELECT coalesce(max(position), 0) + 1 FROM history_releases))",
                segment.Release, segment.Unreleased, segment.TipSha))
                release.ExecuteNonQuery();
            return reattributed;
        }, error => $"{db.Path}: could not store the history of {segment.Release} ({error}); earlier releases are kept");
    }

    /// <summary>Everything stored, for the report: Rust commits (with trailers and headers), line counts, releases in order.</summary>
    public static (List<MinedCommit> Commits, List<TagLines> Lines, List<(string Release, bool Unreleased)> Releases) Load(OxidationDatabase db)
    {
        var trailers = db.Query("SELECT t.sha, key, name, email, t.employer FROM history_trailers t JOIN history_commits c ON c.sha = t.sha WHERE c.rust")
            .GroupBy(r => (string)r[0]!)
            .ToDictionary(g => g.Key, g => g.Select(r => new MinedTrailer((string)r[1]!, new Identity((string)r[2]!, (string)r[3]!), (string)r[4]!)).ToList());
        var headers = db.Query("SELECT h.sha, header FROM history_headers h").GroupBy(r => (string)r[0]!)
            .ToDictionary(g => g.Key, g => g.Select(r => (string)r[1]!).ToList());
        var commits = db.Query("""
            SELECT sha, release, unreleased, date, author_name, author_email, employer, merge, subject, rust, vendored_only, rust_added, rust_removed,
                   vendored_added, vendored_removed, touches_rust_dir, fixes_rust_build
            FROM history_commits WHERE rust ORDER BY date, sha
            """).Select(r => new MinedCommit((string)r[0]!, (string)r[1]!, (bool)r[2]!, new DateTimeOffset(Convert.ToDateTime(r[3], CultureInfo.InvariantCulture), TimeSpan.Zero),
                new Identity((string)r[4]!, (string)r[5]!), (string)r[6]!, (bool)r[7]!, (string)r[8]!, (bool)r[9]!, (bool)r[10]!,
                Convert.ToInt32(r[11], CultureInfo.InvariantCulture), Convert.ToInt32(r[12], CultureInfo.InvariantCulture),
                Convert.ToInt32(r[13], CultureInfo.InvariantCulture), Convert.ToInt32(r[14], CultureInfo.InvariantCulture), (bool)r[15]!,
                headers.GetValueOrDefault((string)r[0]!) ?? [], (bool)r[16]!, trailers.GetValueOrDefault((string)r[0]!) ?? [])).ToList();
        var lines = db.Query("SELECT release, area, files, code, comment, blank FROM history_lines ORDER BY release, area")
            .Select(r => new TagLines((string)r[0]!, (string)r[1]!, Convert.ToInt64(r[2], CultureInfo.InvariantCulture), Convert.ToInt64(r[3], CultureInfo.InvariantCulture),
                Convert.ToInt64(r[4], CultureInfo.InvariantCulture), Convert.ToInt64(r[5], CultureInfo.InvariantCulture))).ToList();
        // An empty unreleased tail (HEAD is the newest tag) is state, not a release to report.
        var releases = db.Query("""
            SELECT release, unreleased FROM history_releases r
            WHERE NOT unreleased OR EXISTS (SELECT 1 FROM history_commits c WHERE c.release = r.release)
            """).Select(r => ((string)r[0]!, (bool)r[1]!)).ToList();
        // Tag segments may be mined out of order on an incremental run: order releases by version.
        releases = [.. releases.OrderBy(r => r.Item2).ThenBy(r => Version(r.Item1))];
        return (commits, lines, releases);
    }

    /// <summary>The total number of commits stored (all, not only Rust).</summary>
    public static long CommitCount(OxidationDatabase db) => Convert.ToInt64(db.Query("SELECT count(*) FROM history_commits")[0][0], CultureInfo.InvariantCulture);

    private static (int, int) Version(string release)
    {
        var parts = release.TrimEnd('+').Split('.');
        return (parts.Length > 0 && int.TryParse(parts[0], out var a) ? a : 0, parts.Length > 1 && int.TryParse(parts[1], out var b) ? b : 0);
    }
}

/// <summary>Stored commits re-attributed to a changed employer map, and how many of them changed employer.</summary>
public readonly record struct Reattribution(long Commits, long Changed)
{
    /// <summary>Adds the re-attributions of two writes.</summary>
    public static Reattribution operator +(Reattribution a, Reattribution b) => new(a.Commits + b.Commits, a.Changed + b.Changed);
}
