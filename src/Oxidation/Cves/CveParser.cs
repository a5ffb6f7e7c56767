using System.Text.Json;
using System.Text.RegularExpressions;

namespace Oxidation.Cves;

/// <summary>A record that could not be imported: where and why.</summary>
public sealed record CveProblem(string Path, string Reason);

/// <summary>
/// Maps one CVE JSON 5 file of the kernel CNA's <c>vulns</c> layout into a <see cref="CveRecord"/>.
/// The path decides the state (<c>cve/rejected/…</c> is rejected) and is checked against the id.
/// </summary>
public static partial class CveParser
{
    private const string Marker = "the following vulnerability has been resolved:";

    // [0-9], not \d: \d matches every Unicode digit ("٢٠٢٥"), which int.Parse then refuses.
    [GeneratedRegex(@"^cve/(?<state>published|rejected)/(?<year>[0-9]{4})/(?<id>CVE-[0-9]{4}-[0-9]+)\.json$")]
    private static partial Regex LayoutPath();

    [GeneratedRegex(@"/c/(?<sha>[0-9a-f]{12,40})\b")]
    private static partial Regex FixCommit();

    private const double MinScore = 0.0;
    private const double MaxScore = 10.0;

    /// <summary>
    /// The version of the rules this parser imports by (what is a record, what is refused), part of an import's
    /// fingerprint so that a changed rule imports an unchanged checkout again. Raise it when a rule changes.
    /// </summary>
    public const string Rules = "2";

    private static readonly HashSet<string> KnownVersionTypes = new(StringComparer.Ordinal) { "git", "semver", "original_commit_for_fix", "custom" };

    [GeneratedRegex(@"^CVE-[0-9]{4}-[0-9]+$")]
    private static partial Regex Id();

    /// <summary>Whether <paramref name="text"/> is a CVE id as the layout names records: <c>CVE-YEAR-N</c>.</summary>
    public static bool IsId(string text) => Id().IsMatch(text);

    /// <summary>Whether a path is where the layout puts records (<c>cve/published/YEAR/CVE-….json</c>).</summary>
    public static bool IsRecordPath(string path) => LayoutPath().IsMatch(path);

    /// <summary>Parses a record; returns null with <paramref name="problem"/> set when it cannot be imported.</summary>
    public static CveRecord? TryParse(string path, ReadOnlySpan<byte> json, out CveProblem? problem)
    {
        problem = null;
        var layout = LayoutPath().Match(path);
        if (!layout.Success)
        {
            problem = new CveProblem(path, "outside the expected layout cve/{published,rejected}/YEAR/CVE-YEAR-N.json");
            return null;
        }
        // The CNA files a record under the year of its id; one elsewhere was moved by hand or by mistake.
        var idYear = layout.Groups["id"].Value.AsSpan(4, 4);
        if (!idYear.SequenceEqual(layout.Groups["year"].ValueSpan))
        {
            problem = new CveProblem(path, $"outside the expected layout: a {idYear} id in the {layout.Groups["year"].Value} directory");
            return null;
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException ex)
        {
            problem = new CveProblem(path, $"malformed JSON ({ex.Message.Split('.')[0]})");
            return null;
        }
        using (doc)
        {
            try
            {
                var record = Map(path, layout, doc.RootElement, out var error);
                problem = error is null ? null : new CveProblem(path, error);
                return record;
            }
            catch (InvalidOperationException ex)
            {
                problem = new CveProblem(path, $"unexpected JSON shape ({ex.Message})");
                return null;
            }
        }
    }

    private static CveRecord? Map(string path, Match layout, JsonElement root, out string? error)
    {
        error = null;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("cveMetadata", out var meta))
        { error = "missing field cveMetadata"; return null; }
        // 291 records of the 2026-08-21 snapshot spell the key "cveID".
        var id = Str(meta, "cveId") ?? Str(meta, "cveID");
        if (id is null)
        { error = "missing field cveMetadata.cveId"; return null; }
        if (id != layout.Groups["id"].Value)
        { error = $"id {id} does not match the file name"; return null; }
        var state = layout.Groups["state"].Value;
        if (!root.TryGetProperty("containers", out var containers) || !containers.TryGetProperty("cna", out var cna))
        { error = "missing field containers.cna"; return null; }
        var description = cna.TryGetProperty("descriptions", out var descriptions) && descriptions.ValueKind == JsonValueKind.Array
            ? descriptions.EnumerateArray().Where(d => Str(d, "lang") is null or "en" or "eng").Select(d => Str(d, "value")).FirstOrDefault(v => v is not null)
            : null;
        if (description is null && state == "published")
        { error = "missing field containers.cna.descriptions"; return null; }
        description ??= "";
        var title = Str(cna, "title");
        var subject = Subject(description) ?? title ?? "";

        var files = new SortedSet<string>(StringComparer.Ordinal);
        var ranges = new List<AffectedRange>();
        if (cna.TryGetProperty("affected", out var affected) && affected.ValueKind == JsonValueKind.Array)
        {
            var group = 0;
            foreach (var entry in affected.EnumerateArray())
            {
                group++;
                if (entry.TryGetProperty("programFiles", out var programFiles) && programFiles.ValueKind == JsonValueKind.Array)
                {
                    foreach (var f in programFiles.EnumerateArray())
                    {
                        if (f.GetString() is { Length: > 0 } file)
                            files.Add(file);
                    }
                }
                var defaultStatus = Str(entry, "defaultStatus") ?? "unknown";
                if (!entry.TryGetProperty("versions", out var versions) || versions.ValueKind != JsonValueKind.Array)
                    continue;
                foreach (var v in versions.EnumerateArray())
                {
                    var type = Str(v, "versionType");
                    if (type is not null && !KnownVersionTypes.Contains(type))
                    { error = $"unknown versionType '{type}'"; return null; }
                    var version = Str(v, "version");
                    if (version is null)
                    { error = "missing field affected[].versions[].version"; return null; }
                    ranges.Add(new AffectedRange(type ?? "release", version, Str(v, "lessThan"), Str(v, "lessThanOrEqual"),
                        Str(v, "status") ?? "unknown", defaultStatus, group));
                }
            }
        }
        var fixes = new List<string>();
        if (cna.TryGetProperty("references", out var references) && references.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in references.EnumerateArray())
            {
                if (Str(r, "url") is { } url && FixCommit().Match(url) is { Success: true } m && !fixes.Contains(m.Groups["sha"].Value))
                    fixes.Add(m.Groups["sha"].Value);
            }
        }
        string? vector = null;
        double? score = null;
        if (cna.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Array)
        {
            foreach (var metric in metrics.EnumerateArray())
            {
                if (metric.TryGetProperty("cvssV3_1", out var cvss))
                {
                    vector = Str(cvss, "vectorString");
                    if (cvss.TryGetProperty("baseScore", out var s) && s.ValueKind == JsonValueKind.Number)
                    {
                        // JSON numbers have no range: 1e400 reads as infinity, which no JSON writer accepts back.
                        // FIRST's cvss-v3.1 JSON schema (used by CVE JSON 5): scoreType, minimum 0, maximum 10.
                        if (!s.TryGetDouble(out var value) || !(value >= MinScore && value <= MaxScore))
                        {
                            var text = s.GetRawText();
                            error = $"CVSS 3.1 baseScore {(text.Length > 24 ? text[..24] + "…" : text)} is out of range (a base score is 0.0 to 10.0)";
                            return null;
                        }
                        score = value;
                    }
                    break;
                }
            }
        }
        return new CveRecord(id, state, int.Parse(layout.Groups["year"].Value, System.Globalization.CultureInfo.InvariantCulture),
            path, title, subject, description, [.. files], ranges, fixes, vector, score);
    }

    /// <summary>The commit subject: the first non-empty line after the CNA's fixed sentence.</summary>
    public static string? Subject(string description)
    {
        var at = description.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        var rest = at < 0 ? description : description[(at + Marker.Length)..];
        return rest.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
