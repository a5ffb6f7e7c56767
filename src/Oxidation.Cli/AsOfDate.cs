namespace Oxidation.Cli;

/// <summary>The <c>--as-of</c> date of report and cves stats: a yyyy-mm-dd date from Linux 6.1's release to today.</summary>
internal static class AsOfDate
{
    public static bool TryParse(string text, out DateOnly date)
    {
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out date))
        {
            Consoles.Fail($"--as-of {text}: not a date (yyyy-mm-dd)");
            return false;
        }
        if (Oxidation.Cves.CveStatistics.AsOfProblem(date, DateOnly.FromDateTime(DateTime.UtcNow)) is { } problem)
        {
            Consoles.Fail($"--as-of {text}: {problem}");
            return false;
        }
        return true;
    }
}
