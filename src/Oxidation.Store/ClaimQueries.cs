using System.Globalization;

namespace Oxidation.Store;

/// <summary>Rust units of a release matching the <c>units</c> claim form: name, Kconfig and file globs (any of each), kind, flags.</summary>
public sealed record UnitCriteria(IReadOnlyList<string>? Names, IReadOnlyList<string>? Kconfig, IReadOnlyList<string>? Paths, string? Kind, bool? Experimental, bool? Counterpart);

/// <summary>Counted files of a release matching path globs and a language (the <c>files</c> form).</summary>
public sealed record FileCriteria(IReadOnlyList<string>? Paths, string? Language);

/// <summary>What the <c>files</c> form measures: the matching files, their code lines, the first path.</summary>
public sealed record FileMatch(long Files, long Code, string? FirstPath);

/// <summary>Unsafe sites of a release by kind, statuses (any), a directory prefix; doc-tests only when asked (the <c>unsafe_sites</c> form).</summary>
public sealed record UnsafeCriteria(string? Kind, IReadOnlyList<string>? Statuses, string? Under, bool DocTests);

/// <summary>Published CVE records by classes (any), memory safety, language, year (the <c>cves</c> form).</summary>
public sealed record CveCriteria(IReadOnlyList<string>? Classes, bool? MemorySafety, string? Language, int? Year);

/// <summary>
/// The reads the claim forms make, from typed criteria: the SQL lives here, with the values bound as parameters (never
/// spliced into the text), and the forms get records back. The user SQL of a claim file goes through
/// <see cref="OxidationDatabase.QueryUntrusted"/>, the one guarded path.
/// </summary>
public static class ClaimQueries
{
    /// <summary>The matching units as <c>name</c> or <c>name (KCONFIG)</c>, by name.</summary>
    public static List<string> Units(OxidationDatabase db, string release, UnitCriteria c)
    {
        var f = new Filter(release);
        f.AnyOf("lower(name) GLOB lower(?)", c.Names);
        f.AnyOf("EXISTS (SELECT 1 FROM unnest(kconfig_all) AS k(s) WHERE k.s GLOB ?)", c.Kconfig);
        f.AnyOf("EXISTS (SELECT 1 FROM unnest(files) AS p(s) WHERE p.s GLOB ?)", c.Paths);
        f.Add("kind = ?", c.Kind);
        f.Add("experimental = ?", c.Experimental);
        if (c.Counterpart is { } counterpart)
            f.Raw(counterpart ? "counterpart IS NOT NULL" : "counterpart IS NULL");
        return [.. db.Query($"SELECT name, kconfig FROM rust_units WHERE release = $1{f.Where} ORDER BY name", [.. f.Parameters])
            .Select(x => x[1] is string k ? $"{x[0]} ({k})" : (string)x[0]!)];
    }

    /// <summary>The matching counted files of a release.</summary>
    public static FileMatch Files(OxidationDatabase db, string release, FileCriteria c)
    {
        var f = new Filter(release);
        f.AnyOf("path GLOB ?", c.Paths);
        f.Add("language = ?", c.Language);
        var row = db.Query($"SELECT count(*), coalesce(sum(code), 0)::BIGINT, min(path) FROM files WHERE release = $1{f.Where}", [.. f.Parameters])[0];
        return new FileMatch(Convert.ToInt64(row[0], CultureInfo.InvariantCulture), Convert.ToInt64(row[1], CultureInfo.InvariantCulture), row[2] as string);
    }

    /// <summary>The matching unsafe sites as <c>path:line</c>, by path and line.</summary>
    public static List<string> UnsafeSites(OxidationDatabase db, string release, UnsafeCriteria c)
    {
        var f = new Filter(release);
        f.Add("kind = ?", c.Kind);
        f.AnyOf("status = ?", c.Statuses);
        f.Add("starts_with(path, ?)", c.Under);
        if (!c.DocTests)
            f.Raw("NOT doc_test");
        return [.. db.Query($"SELECT path, line FROM unsafe_sites WHERE release = $1{f.Where} ORDER BY path, line", [.. f.Parameters]).Select(x => $"{x[0]}:{x[1]}")];
    }

    /// <summary>The bindgen headers of a release matching any of <paramref name="paths"/> (all when null), by path.</summary>
    public static List<string> BindingsHeaders(OxidationDatabase db, string release, IReadOnlyList<string>? paths)
    {
        var f = new Filter(release);
        f.AnyOf("path GLOB ?", paths);
        return [.. db.Query($"SELECT path FROM bindings_headers WHERE release = $1{f.Where} ORDER BY path", [.. f.Parameters]).Select(x => (string)x[0]!)];
    }

    /// <summary>The ids of the matching published records, by id.</summary>
    public static List<string> Cves(OxidationDatabase db, CveCriteria c)
    {
        var f = new Filter();
        f.AnyOf("class = ?", c.Classes);
        f.Add("memory_safety = ?", c.MemorySafety);
        f.Add("language = ?", c.Language);
        f.Add("year = ?", c.Year);
        return [.. db.Query($"SELECT id FROM cves WHERE state = 'published'{f.Where} ORDER BY id", [.. f.Parameters]).Select(x => (string)x[0]!)];
    }

    /// <summary>Builds a WHERE clause from optional criteria, with positional parameters after the first ones (the release, $1).</summary>
    private sealed class Filter
    {
        private readonly List<string> _conditions = [];

        public Filter(params object?[] first) => Parameters.AddRange(first);

        public List<object?> Parameters { get; } = [];

        public string Where => _conditions.Count == 0 ? "" : " AND " + string.Join(" AND ", _conditions);

        /// <summary>Adds <paramref name="condition"/> with its value bound to <c>?</c>; a null value (criterion not given) adds nothing.</summary>
        public void Add(string condition, object? value)
        {
            if (value is null)
                return;
            Parameters.Add(value);
            _conditions.Add(condition.Replace("?", "$" + Parameters.Count, StringComparison.Ordinal));
        }

        /// <summary>Any of several values, each bound once.</summary>
        public void AnyOf(string condition, IReadOnlyList<string>? values)
        {
            if (values is null)
                return;
            var parts = new List<string>();
            foreach (var v in values)
            {
                Parameters.Add(v);
                parts.Add(condition.Replace("?", "$" + Parameters.Count, StringComparison.Ordinal));
            }
            _conditions.Add("(" + string.Join(" OR ", parts) + ")");
        }

        public void Raw(string condition) => _conditions.Add(condition);
    }
}
