namespace Oxidation.History;

/// <summary>A person as a commit names them: a name and an address.</summary>
public readonly record struct Identity(string Name, string Email)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} <{Email}>";
}

/// <summary>
/// A <c>.mailmap</c> (gitmailmap(5)): maps the names and addresses in commits to canonical ones. Forms:
/// <c>Proper Name &lt;commit@email&gt;</c>, <c>&lt;proper@email&gt; &lt;commit@email&gt;</c>,
/// <c>Proper Name &lt;proper@email&gt; &lt;commit@email&gt;</c>, and the same with a commit name before the commit address.
/// Addresses match case-insensitively, names exactly.
/// </summary>
public sealed class Mailmap
{
    private readonly Dictionary<(string Email, string? Name), (string? Name, string? Email)> _map = [];

    /// <summary>An empty map.</summary>
    public static Mailmap Empty { get; } = new();

    /// <summary>Entries read.</summary>
    public int Count => _map.Count;

    /// <summary>Parses a mailmap; lines it cannot read are returned with their number so the caller can report them.</summary>
    public static Mailmap Parse(string text, List<(int Line, string Text)>? unreadable = null)
    {
        var map = new Mailmap();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            var content = line.Split('#')[0];
            if (content.Trim().Length == 0)
                continue;
            // Up to two "<address>" groups, each optionally preceded by a name. As git reads it, whatever follows the
            // second group is ignored (the kernel's .mailmap has a line with a third address: git maps only the second).
            var parts = new List<(string Name, string Email)>();
            var rest = content;
            while (parts.Count < 2 && rest.IndexOf('<') is var open and >= 0 && rest.IndexOf('>', open) is var close and > 0)
            {
                parts.Add((rest[..open].Trim(), rest[(open + 1)..close].Trim()));
                rest = rest[(close + 1)..];
            }
            if (parts.Count == 0 || (parts.Count == 1 && rest.Trim().Length > 0) || parts.Any(p => p.Email.Length == 0))
            {
                unreadable?.Add((number, line));
                continue;
            }
            var properName = parts[0].Name.Length > 0 ? parts[0].Name : null;
            if (parts.Count == 2)
            {
                var commitName = parts[1].Name.Length > 0 ? parts[1].Name : null;
                map._map[(parts[1].Email.ToLowerInvariant(), commitName)] = (properName, parts[0].Email);
            }
            else
            {
                map._map[(parts[0].Email.ToLowerInvariant(), null)] = (properName, null);
            }
        }
        return map;
    }

    /// <summary>The canonical identity of a commit's author or trailer person.</summary>
    public Identity Resolve(Identity who)
    {
        var email = who.Email.ToLowerInvariant();
        if (_map.TryGetValue((email, who.Name), out var exact) || _map.TryGetValue((email, null), out exact))
            return new Identity(exact.Name ?? who.Name, exact.Email ?? who.Email);
        return who;
    }
}
