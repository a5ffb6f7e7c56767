using System.Globalization;
using Oxidation.Releases;
using Oxidation.Store;
using YamlDotNet.RepresentationModel;

namespace Oxidation.Reports.Claims;

/// <summary>A measured value for a claim (with bounds when it has them), or why there is none; <c>Release</c> is the release it is about.</summary>
public sealed record Measurement(double? Value, double? Lower, double? Upper, string Evidence, string? Release, string? CannotTell = null)
{
    /// <summary>No value: the data present cannot answer.</summary>
    public static Measurement Unknown(string why, string? release = null) => new(null, null, null, why, release, why);

    /// <summary>A count of named things, with the first few named: "2 matching units in 6.12.117: a, b".</summary>
    public static Measurement Listing(IReadOnlyList<string> items, string noun, string? release) =>
        new(items.Count, null, null, string.Create(CultureInfo.InvariantCulture,
            $"{items.Count:N0} {noun}{(items.Count == 1 ? "" : "s")}{(release is null ? "" : " in " + release)}{List(items)}"), release);

    /// <summary>": a, b, c" with the first eight items and how many more; empty for none.</summary>
    internal static string List(IReadOnlyList<string> items) =>
        items.Count == 0 ? "" : ": " + string.Join(", ", items.Take(8)) + (items.Count > 8 ? $", … ({items.Count - 8} more)" : "");
}

/// <summary>A query form of the claims file: measures one number from the database.</summary>
public interface IClaimQuery
{
    /// <summary>The form and its arguments as written, for the evidence.</summary>
    string Text { get; }

    /// <summary>Measures against the database; <paramref name="release"/> is the claim's <c>release:</c> (null: the newest scanned).</summary>
    Measurement Measure(ClaimContext context, string? release);
}

/// <summary>What the query forms share: the database and the scanned releases, oldest first.</summary>
public sealed class ClaimContext(Store.OxidationDatabase db)
{
    /// <summary>The database.</summary>
    public Store.OxidationDatabase Db { get; } = db;

    /// <summary>Scanned releases, oldest first.</summary>
    public IReadOnlyList<string> Releases { get; } = Release.SortNames(Store.ScanStore.Releases(db));

    /// <summary>The milestones over every stored release (<see cref="Oxidation.Releases.Milestones"/>), computed once when a claim first asks.</summary>
    public IReadOnlyList<Milestone> Milestones => _milestones ??= Oxidation.Releases.Milestones.Of([.. Releases.Select(r => Store.ScanStore.Load(Db, r)!)]);

    private List<Milestone>? _milestones;

    /// <summary>The stored Rust commits of the mined history, read once when a claim first asks.</summary>
    public IReadOnlyList<History.MinedCommit> History => _history ??= Store.HistoryStore.Load(Db).Commits;

    private List<History.MinedCommit>? _history;

    /// <summary>Resolves a claim's release among the scanned ones, or says why it cannot.</summary>
    public (string? Release, string? Why) Scanned(string? wanted)
    {
        if (Releases.Count == 0)
            return (null, "no kernel tree scanned");
        var release = Release.Resolve(wanted ?? "newest", Releases);
        return release is null ? (null, $"release {wanted} not scanned (scanned: {string.Join(", ", Releases)})") : (release, null);
    }
}

/// <summary>The registry of query forms (docs/claims.md): one class per form, one line here to register it.</summary>
public static class QueryForms
{
    private static readonly Dictionary<string, Func<Args, IClaimQuery>> Forms = new(StringComparer.Ordinal)
    {
        ["rust_share"] = a => new RustShareQuery(a),
        ["units"] = a => new UnitsQuery(a),
        ["files"] = a => new FilesQuery(a),
        ["unsafe_sites"] = a => new UnsafeSitesQuery(a),
        ["bindings_headers"] = a => new BindingsHeadersQuery(a),
        ["cves"] = a => new CvesQuery(a),
        ["cve_memory_safety_share"] = a => new MemorySafetyShareQuery(a),
        ["history"] = a => new HistoryQuery(a),
        ["milestone"] = a => new MilestoneQuery(a),
        ["binding_coverage"] = a => new BindingCoverageQuery(a),
        ["rust_dependents"] = a => new RustDependentsQuery(a),
    };

    /// <summary>The names of the forms, <c>sql</c> included.</summary>
    public static IEnumerable<string> Names => Forms.Keys.Append("sql");

    /// <summary>Parses a <c>query:</c> node: a mapping with one key, the form's name, whose value holds its arguments.</summary>
    public static IClaimQuery Parse(YamlNode node, int lineOffset)
    {
        var line = ClaimFormatException.LineOf(node, lineOffset);
        if (node is not YamlMappingNode map || map.Children.Count != 1)
            throw new ClaimFormatException(line, $"query must be a mapping with one form ({string.Join(", ", Names)})");
        var (keyNode, value) = map.Children.First();
        var name = ((YamlScalarNode)keyNode).Value ?? "";
        if (name == "sql")
        {
            return value is YamlScalarNode { Value: { Length: > 0 } sql }
                ? new SqlQuery(sql, ClaimFormatException.LineOf(value, lineOffset))
                : throw new ClaimFormatException(ClaimFormatException.LineOf(value, lineOffset), "query.sql must be a SELECT statement (a string)");
        }
        if (!Forms.TryGetValue(name, out var make))
            throw new ClaimFormatException(line, $"unknown query '{name}' (known: {string.Join(", ", Names)})");
        var args = new Args(name, value, lineOffset);
        var query = make(args);
        args.RejectUnknown();
        return query;
    }
}

/// <summary>The arguments of one query form, typed, with errors that name the line.</summary>
public sealed class Args
{
    private readonly string _form;
    private readonly YamlMappingNode _map;
    private readonly int _offset;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<string> _parts = [];

    internal Args(string form, YamlNode node, int offset)
    {
        _form = form;
        _offset = offset;
        _map = node switch
        {
            YamlMappingNode m => m,
            YamlScalarNode { Value: null or "" or "~" } => new YamlMappingNode(),
            _ => throw new ClaimFormatException(ClaimFormatException.LineOf(node, offset), $"query.{form} takes a mapping of arguments, not {ClaimFormatException.Describe(node)}"),
        };
    }

    /// <summary>The form and its arguments as written.</summary>
    public string Text => _parts.Count == 0 ? _form : $"{_form}({string.Join(", ", _parts)})";

    private YamlNode? Get(string key)
    {
        _read.Add(key);
        return _map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
    }

    /// <summary>A string argument, or null.</summary>
    public string? String(string key)
    {
        var node = Get(key);
        if (node is null)
            return null;
        if (node is not YamlScalarNode s)
            throw new ClaimFormatException(ClaimFormatException.LineOf(node, _offset), $"query.{_form}.{key} must be a string, not {ClaimFormatException.Describe(node)}");
        _parts.Add($"{key}={s.Value}");
        return s.Value;
    }

    /// <summary>A string argument restricted to <paramref name="allowed"/>, or null.</summary>
    public string? OneOf(string key, params string[] allowed)
    {
        var value = String(key);
        if (value is not null && !allowed.Contains(value))
            throw new ClaimFormatException(ClaimFormatException.LineOf(Get(key)!, _offset), $"query.{_form}.{key}: '{value}' is not one of {string.Join(", ", allowed)}");
        return value;
    }

    /// <summary>One string or a list of strings, or null.</summary>
    public IReadOnlyList<string>? Strings(string key)
    {
        var node = Get(key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode s:
                _parts.Add($"{key}={s.Value}");
                return [s.Value ?? ""];
            case YamlSequenceNode seq when seq.Children.All(c => c is YamlScalarNode):
                var list = seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
                _parts.Add($"{key}=[{string.Join(", ", list)}]");
                return list;
            default:
                throw new ClaimFormatException(ClaimFormatException.LineOf(node, _offset), $"query.{_form}.{key} must be a string or a list of strings");
        }
    }

    /// <summary>A boolean argument, or null.</summary>
    public bool? Bool(string key)
    {
        var node = Get(key);
        if (node is null)
            return null;
        if (node is YamlScalarNode { Value: "true" or "false" } s)
        {
            _parts.Add($"{key}={s.Value}");
            return s.Value == "true";
        }
        throw new ClaimFormatException(ClaimFormatException.LineOf(node, _offset), $"query.{_form}.{key} must be true or false, not {ClaimFormatException.Describe(node)}");
    }

    /// <summary>An integer argument, or null.</summary>
    public int? Int(string key)
    {
        var node = Get(key);
        if (node is null)
            return null;
        if (node is YamlScalarNode s && int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            _parts.Add($"{key}={i}");
            return i;
        }
        throw new ClaimFormatException(ClaimFormatException.LineOf(node, _offset), $"query.{_form}.{key} must be a whole number, not {ClaimFormatException.Describe(node)}");
    }

    internal void RejectUnknown()
    {
        foreach (var key in _map.Children.Keys.OfType<YamlScalarNode>())
        {
            if (!_read.Contains(key.Value!))
                throw new ClaimFormatException(ClaimFormatException.LineOf(key, _offset), $"query.{_form} has no argument '{key.Value}' (known: {string.Join(", ", _read)})");
        }
    }
}

/// <summary>A query form about one scanned release: the claim's release is resolved first, and "cannot tell" when it was not scanned.</summary>
internal abstract class ReleaseQuery(Args args) : IClaimQuery
{
    // Read when asked: the derived constructor reads the arguments after this one runs.
    public string Text => args.Text;

    public Measurement Measure(ClaimContext context, string? release)
    {
        var (r, why) = context.Scanned(release);
        return r is null ? Measurement.Unknown(why!) : MeasureIn(context, r);
    }

    protected abstract Measurement MeasureIn(ClaimContext context, string release);
}

/// <summary><c>rust_share</c>: kernel Rust code lines as a percent of all programming-language code lines of a release.</summary>
internal sealed class RustShareQuery(Args args) : ReleaseQuery(args)
{
    protected override Measurement MeasureIn(ClaimContext context, string r)
    {
        var code = ScanStore.Code(context.Db, r)!;
        var (rust, all, share) = (code.KernelRustCode, code.ProgrammingCode, 100 * code.RustShare);
        return new Measurement(share, null, null, string.Create(CultureInfo.InvariantCulture, $"{rust:N0} kernel Rust code lines of {all:N0} code lines = {share:0.###}% in {r}"), r);
    }
}

/// <summary><c>units</c>: Rust units (modules, drivers, samples) matching name/kconfig/path globs, kind, experimental, counterpart.</summary>
internal sealed class UnitsQuery : ReleaseQuery
{
    private readonly IReadOnlyList<string>? _name, _kconfig, _path;
    private readonly string? _kind;
    private readonly bool? _experimental, _counterpart;

    public UnitsQuery(Args args)
        : base(args)
    {
        _name = args.Strings("name");
        _kconfig = args.Strings("kconfig");
        _path = args.Strings("path");
        _kind = args.String("kind");
        _experimental = args.Bool("experimental");
        _counterpart = args.Bool("counterpart");
    }

    protected override Measurement MeasureIn(ClaimContext context, string r)
    {
        var units = ClaimQueries.Units(context.Db, r, new UnitCriteria(_name, _kconfig, _path, _kind, _experimental, _counterpart));
        return Measurement.Listing(units, "matching unit", r);
    }
}

/// <summary><c>files</c>: counted files of a release matching path globs and a language.</summary>
internal sealed class FilesQuery : ReleaseQuery
{
    private readonly IReadOnlyList<string>? _path;
    private readonly string? _language;

    public FilesQuery(Args args)
        : base(args)
    {
        _path = args.Strings("path");
        _language = args.String("language");
    }

    protected override Measurement MeasureIn(ClaimContext context, string r)
    {
        var (count, code, first) = ClaimQueries.Files(context.Db, r, new FileCriteria(_path, _language));
        return new Measurement(count, null, null, string.Create(CultureInfo.InvariantCulture,
            $"{count:N0} matching file{(count == 1 ? "" : "s")} ({code:N0} code lines) in {r}{(count > 0 ? $", e.g. {first}" : "")}"), r);
    }
}

/// <summary><c>unsafe_sites</c>: unsafe sites of a release by kind, status, directory; doc-tests left out unless asked.</summary>
internal sealed class UnsafeSitesQuery : ReleaseQuery
{
    private readonly string? _kind, _under;
    private readonly IReadOnlyList<string>? _status;
    private readonly bool _docTest;

    public UnsafeSitesQuery(Args args)
        : base(args)
    {
        _kind = args.OneOf("kind", "block", "fn", "impl", "trait", "extern");
        _status = args.Strings("status");
        foreach (var s in _status ?? [])
        {
            if (s is not ("justified" or "todo" or "unjustified" or "documented" or "undocumented"))
                throw new ClaimFormatException(0, $"query.unsafe_sites.status: '{s}' is not one of justified, todo, unjustified, documented, undocumented");
        }
        _under = args.String("under");
        _docTest = args.Bool("doc_tests") ?? false;
    }

    protected override Measurement MeasureIn(ClaimContext context, string r)
    {
        return Measurement.Listing(ClaimQueries.UnsafeSites(context.Db, r, new UnsafeCriteria(_kind, _status, _under, _docTest)), "matching unsafe site", r);
    }
}

/// <summary><c>bindings_headers</c>: C headers given to bindgen in a release, matching path globs.</summary>
internal sealed class BindingsHeadersQuery : ReleaseQuery
{
    private readonly IReadOnlyList<string>? _path;

    public BindingsHeadersQuery(Args args)
        : base(args)
    {
        _path = args.Strings("path");
    }

    protected override Measurement MeasureIn(ClaimContext context, string r)
    {
        return Measurement.Listing(ClaimQueries.BindingsHeaders(context.Db, r, _path), "matching header", r);
    }
}

/// <summary><c>cves</c>: published kernel CVE records by class, memory safety, language, year.</summary>
internal sealed class CvesQuery : IClaimQuery
{
    private readonly IReadOnlyList<string>? _class;
    private readonly bool? _memorySafety;
    private readonly string? _language;
    private readonly int? _year;

    public CvesQuery(Args args)
    {
        _class = args.Strings("class");
        _memorySafety = args.Bool("memory_safety");
        _language = args.String("language");
        _year = args.Int("year");
        Text = args.Text;
    }

    public string Text { get; }

    public Measurement Measure(ClaimContext context, string? release)
    {
        if (CveStore.Count(context.Db) == 0)
            return Measurement.Unknown("no CVE records imported");
        return Measurement.Listing(ClaimQueries.Cves(context.Db, new CveCriteria(_class, _memorySafety, _language, _year)), "published record", null);
    }
}

/// <summary>
/// <c>cve_memory_safety_share</c>: percent of published records that are memory-safety bugs, corrected for the
/// classifier's measured errors, with its 95% interval as the bounds (<see cref="Cves.CveStatistics.CorrectedShare"/>,
/// the function <c>cves stats</c> and the report use), so a claim holds only when the whole interval meets it.
/// </summary>
internal sealed class MemorySafetyShareQuery : IClaimQuery
{
    private readonly int? _year;

    public MemorySafetyShareQuery(Args args)
    {
        _year = args.Int("year");
        Text = args.Text;
    }

    public string Text { get; }

    public Measurement Measure(ClaimContext context, string? release)
    {
        var rows = CveStore.StatRows(context.Db, withFiles: false);
        var population = rows.Where(r => _year is null || r.Year == _year).ToList();
        if (population.Count == 0)
            return Measurement.Unknown(_year is null ? "no CVE records imported" : $"no published records of {_year}");
        var stat = Cves.CveStatistics.Bounds(population);
        var corrected = Cves.CveStatistics.CorrectedShare(population, rows.ToDictionary(r => r.Id, StringComparer.Ordinal), Cves.CveLabels.Calibration,
            Cves.BugClassifier.Default.IsMemorySafety, Store.CveStore.OutOfFoldClasses(context.Db));
        return new Measurement(100 * corrected.Corrected, 100 * corrected.Low, 100 * corrected.High, string.Create(CultureInfo.InvariantCulture,
            $"{100 * corrected.Corrected:0.0}% of {stat.Total:N0} published records{(_year is null ? "" : $" of {_year}")} (95% interval {100 * corrected.Low:0.0}%–{100 * corrected.High:0.0}%), "
            + $"corrected for the classifier's errors on {corrected.Labelled:N0} hand labels; as classified {stat.Count:N0} = {100 * stat.Share:0.0}%"), null);
    }
}

/// <summary><c>history</c>: figures of the mined history: authors, changesets, review and employer shares.</summary>
internal sealed class HistoryQuery : IClaimQuery
{
    private readonly string _measure;
    private readonly string? _employer;

    public HistoryQuery(Args args)
    {
        _measure = args.OneOf("measure", "authors", "changesets", "reviewed_share", "other_employer_reviewed_share", "unknown_employer_share", "employer_share", "employers")
            ?? throw new ClaimFormatException(0, "query.history needs measure: authors, changesets, employers, reviewed_share, other_employer_reviewed_share, unknown_employer_share or employer_share");
        _employer = args.String("employer");
        if (_measure == "employer_share" && _employer is null)
            throw new ClaimFormatException(0, "query.history: measure employer_share needs employer");
        Text = args.Text;
    }

    public string Text { get; }

    public Measurement Measure(ClaimContext context, string? release)
    {
        // The measures are HistoryMeasures': the functions oxidation history and the report call.
        if (context.History.Count == 0 && Store.HistoryStore.CommitCount(context.Db) == 0)
            return Measurement.Unknown("no history mined");
        var changesets = History.HistoryMeasures.RustChangesets(context.History, release);
        if (changesets.Count == 0)
            return Measurement.Unknown(release is null ? "no Rust changesets in the mined history" : $"no Rust changesets mined for release {release}", release);
        var total = changesets.Count;
        var where = $" in {total:N0} Rust changesets" + (release is null ? " of the mined history" : $" of {release}");
        double Share(Func<History.MinedCommit, bool> predicate) => 100 * History.HistoryMeasures.Share(changesets, predicate);
        var (value, what) = _measure switch
        {
            "authors" => (History.HistoryMeasures.DistinctAuthors(changesets), "distinct authors"),
            "employers" => (History.HistoryMeasures.KnownEmployers(changesets), "known employers"),
            "changesets" => (total, "changesets"),
            "reviewed_share" => (Share(History.HistoryMeasures.IsReviewed), "% with Reviewed-by or Acked-by"),
            "other_employer_reviewed_share" => (Share(History.HistoryMeasures.ReviewedByOtherEmployer), "% reviewed by another employer"),
            "unknown_employer_share" => (Share(History.HistoryMeasures.ByUnknownEmployer), "% by authors of unknown employer"),
            _ => (Share(c => History.HistoryMeasures.ByEmployer(c, _employer!)), $"% by {_employer}"),
        };
        return new Measurement(value, null, null, string.Create(CultureInfo.InvariantCulture, $"{value:0.#}{(what.StartsWith('%') ? "" : " ")}{what}{where}"), release);
    }
}

/// <summary><c>binding_coverage</c>: the share (or count) of the functions, structs or macros of the headers bindgen reads that Rust
/// reaches, in all of them, one header or one MAINTAINERS entry: <see cref="CHeaders.BindingCoverage"/>, as <c>oxidation coverage</c> and the report.</summary>
internal sealed class BindingCoverageQuery : ReleaseQuery
{
    private readonly string _kind, _measure;
    private readonly string? _header, _subsystem;

    public BindingCoverageQuery(Args args)
        : base(args)
    {
        _kind = args.OneOf("kind", "function", "struct", "macro")
            ?? throw new ClaimFormatException(0, "query.binding_coverage needs kind: function, struct or macro");
        _measure = args.OneOf("measure", "share", "reached", "declared") ?? "share";
        _header = args.String("header");
        _subsystem = args.String("subsystem");
        if (_header is not null && _subsystem is not null)
            throw new ClaimFormatException(0, "query.binding_coverage takes header or subsystem, not both");
    }

    protected override Measurement MeasureIn(ClaimContext context, string r)
    {
        if (Store.ReachStore.Coverage(context.Db, r) is not { } coverage)
            return Measurement.Unknown($"release {r} has no stored C bindings (no rust/bindings/bindings_helper.h, or scanned by an older Oxidation)", r);
        var group = _header is not null ? coverage.Headers.FirstOrDefault(h => h.Name == _header)
            : _subsystem is not null ? coverage.Subsystems.FirstOrDefault(s => s.Name == _subsystem)
            : coverage.Total;
        if (group is null)
            return Measurement.Unknown(_header is not null
                ? $"{_header} is not among the headers bindgen reads in {r} (or declares no function, struct or macro)"
                : $"no MAINTAINERS entry {_subsystem} covers a header bindgen reads in {r}", r);
        var (declared, reached) = group.Of(_kind);
        var what = _header ?? _subsystem ?? $"the {group.Headers:N0} headers bindgen reads";
        var evidence = string.Create(CultureInfo.InvariantCulture, $"Rust reaches {reached:N0} of {declared:N0} {_kind}s of {what} in {r}");
        return _measure switch
        {
            "reached" => new Measurement(reached, null, null, evidence, r),
            "declared" => new Measurement(declared, null, null, evidence, r),
            _ => group.Share(_kind) is { } share
                ? new Measurement(100 * share, null, null, evidence + string.Create(CultureInfo.InvariantCulture, $" = {100 * share:0.##}%"), r)
                : Measurement.Unknown($"{what} declares no {_kind} in {r}", r),
        };
    }
}

/// <summary><c>rust_dependents</c>: the Rust files that depend on C declarations (<c>symbol</c>: what <c>oxidation impact --symbol</c>
/// finds) or on a header (<c>header</c>: the uses coverage counts), through <see cref="CHeaders.Impact"/> and <see cref="CHeaders.BindingCoverage"/>.</summary>
internal sealed class RustDependentsQuery : ReleaseQuery
{
    private readonly IReadOnlyList<string>? _symbols;
    private readonly string? _header;

    public RustDependentsQuery(Args args)
        : base(args)
    {
        _symbols = args.Strings("symbol");
        _header = args.String("header");
        if ((_symbols is null) == (_header is null))
            throw new ClaimFormatException(0, "query.rust_dependents takes symbol (one or a list) or header, one of them");
    }

    protected override Measurement MeasureIn(ClaimContext context, string r)
    {
        if (Store.ReachStore.Load(context.Db, r) is not { } reach)
            return Measurement.Unknown($"release {r} has no stored C bindings (no rust/bindings/bindings_helper.h, or scanned by an older Oxidation)", r);
        if (_header is not null)
        {
            if (!reach.ClosureHeaders.Contains(_header))
                return Measurement.Unknown($"{_header} is not among the {reach.ClosureHeaders.Count:N0} headers bindgen reads in {r}", r);
            return Files(CHeaders.BindingCoverage.RustFilesUsing(reach, _header), _header, r);
        }
        var report = CHeaders.Impact.OfSymbols(reach, _symbols!);
        if (report.Problems.Count > 0)
            return Measurement.Unknown(string.Join("; ", report.Problems.Select(p => p.Reason)), r);
        var files = report.Declarations.SelectMany(d => d.Uses).Select(u => u.Path).Distinct().Order(StringComparer.Ordinal).ToList();
        return Files(files, string.Join(", ", _symbols!), r);
    }

    private static Measurement Files(IReadOnlyList<string> files, string what, string r) =>
        new(files.Count, null, null, string.Create(CultureInfo.InvariantCulture,
            $"{files.Count:N0} Rust file{(files.Count == 1 ? "" : "s")} using {what} in {r}{Measurement.List(files)}"), r);
}

/// <summary><c>sql</c>: one SELECT against the documented schema (docs/database.md); its first value is the measurement.</summary>
/// <remarks>
/// A claims file may come from anyone: the query runs only through <see cref="Store.OxidationDatabase.QueryUntrusted"/>,
/// which sees Oxidation's tables and nothing else of the machine, and whose errors never quote data the query read.
/// </remarks>
internal sealed class SqlQuery(string sql, int line) : IClaimQuery
{
    public string Text { get; } = "sql: " + sql.Trim();

    public Measurement Measure(ClaimContext context, string? release)
    {
        string? r = null;
        if (sql.Contains("$release", StringComparison.Ordinal))
        {
            string? why;
            (r, why) = context.Scanned(release);
            if (r is null)
                return Measurement.Unknown(why!);
        }
        Store.UntrustedValue? result;
        try
        {
            result = context.Db.QueryUntrusted(sql, r is null ? null : new Dictionary<string, object> { ["release"] = r });
        }
        catch (Store.UntrustedQueryException ex)
        {
            throw new ClaimFormatException(line, "query.sql " + ex.Message);
        }
        if (result?.Value is not { } value)
            return Measurement.Unknown("the query returned no value", r);
        double number = value switch
        {
            bool b => b ? 1 : 0,
            System.Numerics.BigInteger big => (double)big,
            IConvertible c when value is not (string or DateTime) => c.ToDouble(CultureInfo.InvariantCulture),
            _ => throw new ClaimFormatException(line, $"query.sql must return a number or a boolean, not {result.Type}"),
        };
        return new Measurement(number, null, null, string.Create(CultureInfo.InvariantCulture, $"the query returned {number:0.###}{(r is null ? "" : $" for {r}")}"), r);
    }
}

/// <summary><c>milestone</c>: the calendar year something first appeared among the stored releases (<see cref="Oxidation.Releases.Milestones"/>),
/// bounded by the stored release before it: the year of the day after that release to the year of the first release with it.</summary>
internal sealed class MilestoneQuery : IClaimQuery
{
    private readonly string _kind;
    private readonly string? _name;

    public MilestoneQuery(Args args)
    {
        _kind = args.OneOf("kind", Oxidation.Releases.Milestones.Kinds)
            ?? throw new ClaimFormatException(0, $"query.milestone needs kind: {string.Join(", ", Oxidation.Releases.Milestones.Kinds)}");
        _name = args.String("name");
        if (_kind != "stable_driver" && _name is null)
            throw new ClaimFormatException(0, $"query.milestone: kind {_kind} needs name");
        Text = args.Text;
    }

    public string Text { get; }

    public Measurement Measure(ClaimContext context, string? release)
    {
        if (context.Releases.Count == 0)
            return Measurement.Unknown("no kernel tree scanned");
        var what = _kind == "stable_driver" ? "a Rust driver not marked experimental" : $"{_kind} {_name}";
        var m = context.Milestones.FirstOrDefault(m => m.Kind == _kind && (_name is null || m.Name == _name));
        if (m is null)
            return Measurement.Unknown($"{what} is in no stored release ({string.Join(", ", context.Releases)})");
        static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (m.FirstDate is not { } first)
            return Measurement.Unknown($"{what} first in {m.First}, which has no release date (data/kernel-releases.json dates mainline series)", m.First);
        // Nothing of Rust predates 6.1: with no stored release before, the lower bound is Rust's arrival.
        var after = m.Before is null ? Cves.CveStatistics.RustSince : m.BeforeDate?.AddDays(1);
        if (after is not { } lower)
            return Measurement.Unknown($"{what} first in {m.First} ({D(first)}), but {m.Before}, the stored release before it, has no release date", m.First);
        var named = _kind == "stable_driver" ? $"{what} ({m.Name})" : what;
        var since = m.Before is null ? $"{m.First} is the oldest stored release and nothing of Rust predates 6.1 ({D(lower)})" : $"not in {m.Before} (series released {D(lower.AddDays(-1))})";
        var years = lower.Year == first.Year ? $"{first.Year}" : $"{lower.Year}–{first.Year}";
        return new Measurement(first.Year, lower.Year, first.Year, $"{named} reached mainline between {D(lower)} and {D(first)} ({years}): first in {m.First} (series released {D(first)}), {since}", m.First);
    }
}
