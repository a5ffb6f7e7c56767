using System.Text;
using System.Text.RegularExpressions;

namespace Oxidation.Maintainers;

/// <summary>One section of MAINTAINERS: its title and the M:, R:, L:, S:, F:, X:, N: lines.</summary>
public sealed class MaintainersEntry
{
    /// <summary>The section title, e.g. <c>RUST</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The S: line (Supported, Maintained, Odd Fixes, …).</summary>
    public string? Status { get; set; }

    /// <summary>M: lines.</summary>
    public List<string> Maintainers { get; } = [];

    /// <summary>R: lines.</summary>
    public List<string> Reviewers { get; } = [];

    /// <summary>L: lines.</summary>
    public List<string> Lists { get; } = [];

    internal List<Regex> Files { get; } = [];
    internal List<bool> FilesAreDirectories { get; } = [];
    internal List<Regex> Excludes { get; } = [];
    internal List<bool> ExcludesAreDirectories { get; } = [];
    internal List<Regex> Patterns { get; } = [];

    /// <summary>
    /// Whether the entry covers <paramref name="path"/>, as <c>scripts/get_maintainer.pl</c> decides:
    /// an F: pattern ending in <c>/</c> matches everything below it; any other matches as a prefix
    /// with the same number of <c>/</c> (so <c>*</c> stays in one directory); N: is a regex anywhere
    /// in the path; an X: match excludes the entry.
    /// </summary>
    public bool Covers(string path)
    {
        for (var i = 0; i < Excludes.Count; i++)
        {
            if (Matches(path, Excludes[i], ExcludesAreDirectories[i]))
                return false;
        }
        for (var i = 0; i < Files.Count; i++)
        {
            if (Matches(path, Files[i], FilesAreDirectories[i]))
                return true;
        }
        foreach (var pattern in Patterns)
        {
            if (pattern.IsMatch(path))
                return true;
        }
        return false;
    }

    private static bool Matches(string path, Regex pattern, bool directory)
    {
        var m = pattern.Match(path);
        if (!m.Success)
            return false;
        if (directory)
            return true;
        return path.Count(c => c == '/') == SlashCount(pattern);
    }

    private static int SlashCount(Regex pattern) => pattern.ToString().Count(c => c == '/');
}

/// <summary>Reads the MAINTAINERS file.</summary>
public static class MaintainersFile
{
    /// <summary>
    /// Parses MAINTAINERS. <paramref name="isDirectory"/> tells whether a path is a directory of the
    /// tree: like get_maintainer.pl, an F: naming a directory without a trailing slash covers it whole.
    /// </summary>
    public static List<MaintainersEntry> Parse(ReadOnlySpan<byte> content, Func<string, bool> isDirectory)
    {
        var entries = new List<MaintainersEntry>();
        MaintainersEntry? current = null;
        var started = false;
        foreach (var raw in Encoding.UTF8.GetString(content).Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length >= 2 && line[1] == ':' && char.IsAsciiLetterUpper(line[0]) && current is not null)
            {
                started = true;
                var value = line[2..].Trim();
                switch (line[0])
                {
                    case 'M': current.Maintainers.Add(value); break;
                    case 'R': current.Reviewers.Add(value); break;
                    case 'L': current.Lists.Add(value); break;
                    case 'S': current.Status = value; break;
                    case 'F': AddFilePattern(value, isDirectory, current.Files, current.FilesAreDirectories); break;
                    case 'X': AddFilePattern(value, isDirectory, current.Excludes, current.ExcludesAreDirectories); break;
                    case 'N':
                        try
                        {
                            current.Patterns.Add(new Regex(value, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
                        }
                        catch (ArgumentException)
                        {
                            // an N: pattern .NET cannot compile is passed over
                        }
                        break;
                }
                continue;
            }
            if (line.Trim().Length == 0)
            {
                current = null;
                continue;
            }
            // A title line opens a section; the preamble before the first section has no F: lines.
            if (current is null || !started)
            {
                current = new MaintainersEntry { Name = line.Trim() };
                entries.Add(current);
                started = false;
            }
        }
        entries.RemoveAll(e => e.Files.Count == 0 && e.Patterns.Count == 0 && e.Maintainers.Count == 0);
        return entries;
    }

    private static void AddFilePattern(string value, Func<string, bool> isDirectory, List<Regex> patterns, List<bool> directories)
    {
        var directory = value.EndsWith('/');
        if (!directory && !value.Contains('*') && !value.Contains('?') && isDirectory(value))
        {
            value += "/";
            directory = true;
        }
        var regex = new StringBuilder("^");
        foreach (var c in value)
        {
            regex.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }
        patterns.Add(new Regex(regex.ToString(), RegexOptions.CultureInvariant));
        directories.Add(directory);
    }
}

/// <summary>
/// Finds the entries covering a path without trying every entry: each F: pattern is filed under the first
/// directory of its literal prefix, so a path is only tested against entries that can match it (and those
/// whose patterns start with a wildcard or that have N: regexes).
/// </summary>
public sealed class MaintainersIndex
{
    private readonly Dictionary<string, List<MaintainersEntry>> _byTop = new(StringComparer.Ordinal);
    private readonly List<MaintainersEntry> _everywhere = [];

    /// <summary>Indexes parsed entries; entries named in <paramref name="ignore"/> (catch-alls such as THE REST) are left out.</summary>
    public MaintainersIndex(IEnumerable<MaintainersEntry> entries, IReadOnlySet<string>? ignore = null)
    {
        foreach (var entry in entries)
        {
            if (ignore?.Contains(entry.Name) == true)
                continue;
            var tops = new HashSet<string>(StringComparer.Ordinal);
            var anywhere = entry.Patterns.Count > 0;
            foreach (var pattern in entry.Files)
            {
                // Filed under the literal's first two directories when it has them (drivers/net), else its first.
                var literal = Literal(pattern.ToString());
                var first = literal.IndexOf('/');
                var second = first > 0 ? literal.IndexOf('/', first + 1) : -1;
                if (second > 0)
                    tops.Add(literal[..second]);
                else if (first > 0)
                    tops.Add(literal[..first]);
                else
                    anywhere = true; // a wildcard before the first '/', or a file at the top
            }
            if (anywhere)
                _everywhere.Add(entry);
            foreach (var top in tops)
            {
                if (!_byTop.TryGetValue(top, out var list))
                    _byTop[top] = list = [];
                list.Add(entry);
            }
        }
    }

    /// <summary>Every indexed entry covering <paramref name="path"/>.</summary>
    public IEnumerable<MaintainersEntry> Covering(string path)
    {
        var first = path.IndexOf('/');
        var second = first > 0 ? path.IndexOf('/', first + 1) : -1;
        IEnumerable<MaintainersEntry> candidates = _everywhere;
        if (first > 0 && _byTop.TryGetValue(path[..first], out var one))
            candidates = candidates.Concat(one);
        if (second > 0 && _byTop.TryGetValue(path[..second], out var two))
            candidates = candidates.Concat(two);
        return candidates.Distinct().Where(e => e.Covers(path));
    }

    /// <summary>The literal start of a compiled F: regex (<c>^drivers/net/</c> gives <c>drivers/net/</c>), unescaped.</summary>
    private static string Literal(string regex)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 1; i < regex.Length; i++)
        {
            var c = regex[i];
            if (c == '\\' && i + 1 < regex.Length)
            {
                sb.Append(regex[++i]);
                continue;
            }
            if (c is '.' or '*' or '?' or '[' or '(' or '+' or '$' or '^')
                break;
            sb.Append(c);
        }
        return sb.ToString();
    }
}
