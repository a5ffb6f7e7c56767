using System.Text.RegularExpressions;

namespace Oxidation.History;

/// <summary>A trailer line at the end of a commit message, e.g. <c>Reviewed-by: Name &lt;addr&gt;</c>.</summary>
public sealed record Trailer(string Key, Identity Person);

/// <summary>Reads the people trailers of a commit message (Documentation/process/submitting-patches.rst).</summary>
public static partial class Trailers
{
    /// <summary>The trailers that name people, as the kernel writes them.</summary>
    public static readonly string[] Keys = ["Signed-off-by", "Reviewed-by", "Acked-by", "Tested-by", "Reported-by", "Suggested-by", "Co-developed-by"];

    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z-]*):\s*(?<name>[^<]*?)\s*<(?<email>[^>\s]+)>")]
    private static partial Regex PersonTrailer();

    /// <summary>The people trailers in <paramref name="message"/>, in order; the key is normalised to the kernel's spelling.</summary>
    public static List<Trailer> Parse(string message)
    {
        var found = new List<Trailer>();
        foreach (var raw in message.Split('\n'))
        {
            var m = PersonTrailer().Match(raw.Trim());
            if (!m.Success)
                continue;
            var key = Keys.FirstOrDefault(k => k.Equals(m.Groups["key"].Value, StringComparison.OrdinalIgnoreCase));
            if (key is not null)
                found.Add(new Trailer(key, new Identity(m.Groups["name"].Value.Trim(), m.Groups["email"].Value)));
        }
        return found;
    }
}
