using Oxidation.Scanning;

namespace Oxidation.Store;

/// <summary>
/// The scan's file cache in the database (<c>file_results</c>): what counting a git blob under a file name gave, by the
/// version of the rules that counted it (<see cref="ScanCache.Version"/>), so a blob is counted once across runs of
/// <c>scan --rev</c> and <c>releases</c>. Like the classification cache it is not exported or merged: a cache, not a result.
/// </summary>
public sealed class FileResultStore(OxidationDatabase db) : IFileResultStore
{
    /// <inheritdoc />
    public IEnumerable<(string ContentId, string Name, FileResult Result)> Find(IReadOnlyCollection<(string ContentId, string Name)> files, string version)
    {
        // The wanted keys go to a temporary table in one append, and one join finds them: a tree of 86,000 files is
        // looked up in one query, not 86,000.
        try
        {
            db.Execute("CREATE OR REPLACE TEMP TABLE wanted_files (content_id VARCHAR, name VARCHAR)");
            using (var appender = db.Connection.CreateAppender("temp", "main", "wanted_files"))
            {
                foreach (var (contentId, name) in files)
                    appender.CreateRow().AppendValue(contentId).AppendValue(name).EndRow();
            }
            List<(string, string, FileResult)> found = [.. db.Query("SELECT f.content_id, f.name, f.language, f.bytes, f.code, f.comment, f.blank, f.is_binary, f.invalid_utf8 " +
                "FROM file_results f SEMI JOIN wanted_files w ON f.content_id = w.content_id AND f.name = w.name WHERE f.version = $1", version)
                .Select(r => ((string)r[0]!, (string)r[1]!, new FileResult((string)r[2]!, (long)r[3]!, (long)r[4]!, (long)r[5]!, (long)r[6]!, (bool)r[7]!, (bool)r[8]!)))];
            db.Execute("DROP TABLE temp.wanted_files");
            return found;
        }
        catch (DuckDB.NET.Data.DuckDBException ex)
        {
            throw new StoreException($"{db.Path}: cannot read the file cache ({OxidationDatabase.FirstLine(ex.Message)})", ex);
        }
    }

    /// <summary>
    /// Appends the cache's new results (<see cref="ScanCache.TakeFresh"/>) inside the caller's transaction; results of
    /// another rules version are deleted first, so the table holds one version's.
    /// </summary>
    internal static void Save(OxidationDatabase db, IReadOnlyList<(string ContentId, string Name, FileResult Result)> fresh)
    {
        using (var delete = db.Command("DELETE FROM file_results WHERE version <> $1", ScanCache.Version))
            delete.ExecuteNonQuery();
        using var appender = db.Connection.CreateAppender("file_results");
        foreach (var (contentId, name, r) in fresh)
        {
            appender.CreateRow().AppendValue(contentId).AppendValue(name).AppendValue(ScanCache.Version).AppendValue(r.Language).AppendValue(r.Bytes)
                .AppendValue(r.Code).AppendValue(r.Comment).AppendValue(r.Blank).AppendValue(r.Binary).AppendValue(r.InvalidUtf8).EndRow();
        }
    }
}
