using System.Globalization;
using System.Reflection;

namespace Oxidation.History;

/// <summary>An unreadable line of an employer map: the file, the line and why.</summary>
public sealed class EmployerMapException(string message) : Exception(message);

/// <summary>
/// Maps an address to an employer at a date, in gitdm's format (one mapping a line:
/// <c>address-or-domain  Employer  [&lt; yyyy-mm-dd]</c>; a dated line applies before that date, the undated one
/// after). Whole addresses win over domains, and a domain also covers its sub-domains. Unmatched addresses are
/// <see cref="Unknown"/>: never guessed.
/// </summary>
public sealed class EmployerMap
{
    /// <summary>The employer of addresses no map line covers.</summary>
    public const string Unknown = "(Unknown)";

    private readonly Dictionary<string, List<(DateOnly? Before, string Employer)>> _entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The map shipped in <c>data/employers.txt</c>.</summary>
    public static EmployerMap Default()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("employers.txt")
            ?? throw new InvalidOperationException("employers.txt is not embedded");
        using var reader = new StreamReader(stream);
        var map = new EmployerMap();
        map.Add(reader.ReadToEnd(), "data/employers.txt");
        return map;
    }

    /// <summary>Number of addresses and domains mapped.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds the lines of a map file; later files win over earlier ones for the same key.</summary>
    public void Add(string text, string source)
    {
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0)
                continue;
            var fields = line.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
                throw new EmployerMapException($"{source}:{number}: expected 'address-or-domain  Employer  [< yyyy-mm-dd]'");
            var key = fields[0];
            var rest = fields[1].Trim();
            DateOnly? before = null;
            var lt = rest.LastIndexOf('<');
            if (lt >= 0)
            {
                if (!DateOnly.TryParseExact(rest[(lt + 1)..].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    throw new EmployerMapException($"{source}:{number}: '{rest[(lt + 1)..].Trim()}' is not a yyyy-mm-dd date");
                before = date;
                rest = rest[..lt].Trim();
            }
            if (rest.Length == 0)
                throw new EmployerMapException($"{source}:{number}: no employer");
            if (!_entries.TryGetValue(key, out var list))
                _entries[key] = list = [];
            list.RemoveAll(e => e.Before == before);
            list.Add((before, rest));
            list.Sort((a, b) => (a.Before ?? DateOnly.MaxValue).CompareTo(b.Before ?? DateOnly.MaxValue));
        }
    }

    /// <summary>
    /// What the map says, as a hash of its lines in a fixed order (keys lower-cased and sorted, each key's dated lines in
    /// date order): two maps with the same fingerprint attribute every address alike, however their files were laid out.
    /// The store keeps the fingerprint of the map a history was mined with, to re-attribute it when the map changes.
    /// </summary>
    public string Fingerprint()
    {
        var text = new System.Text.StringBuilder();
        foreach (var (key, entries) in _entries.Select(e => (e.Key.ToLowerInvariant(), e.Value)).OrderBy(e => e.Item1, StringComparer.Ordinal))
        {
            foreach (var (before, employer) in entries)
                text.Append(key).Append('\t').Append(employer).Append('\t').Append(before?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\n');
        }
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The employer of an author or trailer address of a commit made at <paramref name="when"/> (its UTC date).</summary>
    public string EmployerOf(string email, DateTimeOffset when) => EmployerOf(email, DateOnly.FromDateTime(when.UtcDateTime));

    /// <summary>The employer of <paramref name="email"/> on <paramref name="date"/>.</summary>
    public string EmployerOf(string email, DateOnly date)
    {
        var at = email.LastIndexOf('@');
        if (_entries.TryGetValue(email, out var byAddress))
            return Pick(byAddress, date) ?? Unknown;
        if (at < 0)
            return Unknown;
        var domain = email[(at + 1)..];
        while (true)
        {
            if (_entries.TryGetValue(domain, out var byDomain) && Pick(byDomain, date) is { } employer)
                return employer;
            var dot = domain.IndexOf('.');
            if (dot < 0 || domain.IndexOf('.', dot + 1) < 0)
                return Unknown;
            domain = domain[(dot + 1)..];
        }
    }

    private static string? Pick(List<(DateOnly? Before, string Employer)> entries, DateOnly date) =>
        entries.FirstOrDefault(e => e.Before is null || date < e.Before).Employer;
}
