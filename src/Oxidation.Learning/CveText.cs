using System.Text;
using Oxidation.Cves;

namespace Oxidation.Learning;

/// <summary>
/// The text a model reads from a record: subject and body, lower-cased, every run of characters other than letters,
/// digits and <c>_</c> turned into one space and every run of digits into <c>0</c>, so "use-after-free" and
/// "use after free" are the same words (labelling guide R8) and addresses do not each become a feature.
/// </summary>
public static class CveText
{
    /// <summary>The normalised subject and body of <paramref name="record"/>.</summary>
    public static string Of(CveRecord record) => Normalise(record.Subject + "\n" + record.Body);

    /// <summary>The path components of the fixed files, e.g. <c>drivers net wireless ath ath10k mac c</c>.</summary>
    public static string Files(CveRecord record) => Normalise(string.Join(' ', record.ProgramFiles));

    /// <summary>Lower-cases, maps punctuation runs to a space and digit runs to <c>0</c>, trims.</summary>
    public static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = true;
        var digit = false;
        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            if (char.IsAsciiDigit(c))
            {
                if (!digit)
                    builder.Append('0');
                digit = true;
                space = false;
                continue;
            }
            digit = false;
            if (char.IsAsciiLetter(c) || c == '_')
            {
                builder.Append(c);
                space = false;
            }
            else if (!space)
            {
                builder.Append(' ');
                space = true;
            }
        }
        return builder.ToString().TrimEnd();
    }
}
