using System.Globalization;
using Oxidation.Store;

namespace Oxidation.Reports.Claims;

/// <summary>
/// The verdict on one claim, with the numbers behind it. <c>Evidence</c> says what was measured, in words, with the
/// numbers; for an invalid claim, what is wrong and where.
/// </summary>
public sealed record ClaimVerdict(
    string Id,
    string Claim,
    string File,
    int Line,
    Verdict Verdict,
    string? Release,
    double? Value,
    double? Lower,
    double? Upper,
    string? Expected,
    string? Query,
    string Evidence)
{
    /// <summary>The verdict as printed: holds, fails, cannot tell, invalid.</summary>
    public string VerdictText => Verdict switch
    {
        Verdict.Holds => "holds",
        Verdict.Fails => "fails",
        Verdict.CannotTell => "cannot tell",
        _ => "invalid",
    };
}

/// <summary>Evaluates claims against the data actually in the database; never invents an answer.</summary>
public static class ClaimChecker
{
    /// <summary>Evaluates every claim of the file; invalid claims get <see cref="Verdict.Invalid"/> and the others are still evaluated.</summary>
    public static List<ClaimVerdict> Evaluate(OxidationDatabase db, ClaimsFile file)
    {
        var context = new ClaimContext(db);
        return [.. file.Claims.Select(c => Evaluate(context, file.Path, c))];
    }

    private static ClaimVerdict Evaluate(ClaimContext context, string file, Claim claim)
    {
        if (claim.Problem is not null || claim.Query is null || claim.Expect is null)
            return new ClaimVerdict(claim.Id, claim.Text, file, claim.Line, Verdict.Invalid, null, null, null, null, null, null, $"{file}:{claim.Line}: claim '{claim.Id}': {claim.Problem}");
        Measurement m;
        try
        {
            m = claim.Query.Measure(context, claim.Release);
        }
        catch (ClaimFormatException ex)
        {
            return new ClaimVerdict(claim.Id, claim.Text, file, claim.Line, Verdict.Invalid, null, null, null, null, claim.Expect.Text, claim.Query.Text,
                $"{file}:{(ex.Line == 0 ? claim.Line : ex.Line)}: claim '{claim.Id}': {ex.Message}");
        }
        if (m.Value is not { } value)
            return new ClaimVerdict(claim.Id, claim.Text, file, claim.Line, Verdict.CannotTell, m.Release, null, null, null, claim.Expect.Text, claim.Query.Text, m.Evidence);
        var verdict = claim.Expect.Judge(value, m.Lower, m.Upper);
        var expected = claim.Expect.Boolean ? (claim.Expect.Text == "true" ? "some (> 0)" : "none (= 0)") : claim.Expect.Text;
        return new ClaimVerdict(claim.Id, claim.Text, file, claim.Line, verdict, m.Release, Round(value), Round(m.Lower), Round(m.Upper), expected, claim.Query.Text, m.Evidence);
    }

    private static double? Round(double? v) => v is null ? null : Math.Round(v.Value, 4);

    /// <summary>Plain text, one block per claim: the form <c>oxidation check</c> prints and the golden files hold.</summary>
    public static string Render(IReadOnlyList<ClaimVerdict> verdicts)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        foreach (var v in verdicts)
        {
            w.WriteLine($"{v.VerdictText.ToUpperInvariant(),-12} {v.Id}: {v.Claim}");
            if (v.Verdict != Verdict.Invalid)
                w.WriteLine($"{"",-12} expected {v.Expected}; measured: {v.Evidence}");
            else
                w.WriteLine($"{"",-12} {v.Evidence}");
        }
        var counts = string.Join(", ", verdicts.GroupBy(v => v.VerdictText).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
        w.WriteLine($"{verdicts.Count} claims: {counts}");
        return w.ToString();
    }
}
