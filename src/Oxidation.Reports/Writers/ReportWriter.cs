using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Oxidation.Reports.Writers;

/// <summary>The files of a report: index.html, report.md, charts/*.svg and data/*.json, rendered in memory first.</summary>
public static class ReportWriter
{
    /// <summary>JSON as the report's data files write it: camelCase, enums as strings, indented.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Every file of the report, by relative path.</summary>
    public static SortedDictionary<string, string> Render(ReportModel model)
    {
        var sections = ReportDocument.Build(model);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["index.html"] = HtmlReportWriter.Render(model, sections),
            ["report.md"] = MarkdownReportWriter.Render(model, sections),
        };
        foreach (var chart in sections.SelectMany(s => s.Blocks).OfType<ChartBlock>())
            files[$"charts/{chart.Id}.svg"] = chart.Svg;
        foreach (var (name, data) in Data(model))
            files[$"data/{name}.json"] = JsonSerializer.Serialize(data, JsonOptions) + "\n";
        return files;
    }

    /// <summary>The data files: one per section, and the whole model.</summary>
    public static IEnumerable<(string Name, object? Data)> Data(ReportModel model)
    {
        yield return ("releases", model.Releases);
        yield return ("growth", model.Growth);
        yield return ("changes", model.Changes);
        yield return ("units", new { units = model.Units, removed = model.RemovedUnits });
        yield return ("abstractions", new { modules = model.Abstractions, headers = model.Headers });
        yield return ("coverage", model.Coverage);
        yield return ("unsafe", new { byArea = model.UnsafeByArea, byUnit = model.UnsafeByUnit, unjustified = model.Unjustified });
        yield return ("history", model.History);
        yield return ("cves", model.Cves);
        yield return ("claims", model.Claims);
        yield return ("missing", model.Missing);
    }

    /// <summary>
    /// Throws <see cref="ReportOutputException"/> when the report cannot be written under <paramref name="directory"/>: it
    /// names a file, a parent is a file, or the place refuses new entries (read-only, no permission). Checked before the
    /// report is built, which takes seconds on a full database, and without leaving anything behind.
    /// </summary>
    public static void CheckOutput(string directory)
    {
        if (File.Exists(directory))
            throw new ReportOutputException($"{directory}: is a file, not a directory for the report (give --out a directory)");
        var existing = Path.GetFullPath(directory);
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
                throw new ReportOutputException($"{directory}: cannot write the report here ({existing} is a file)");
            existing = Path.GetDirectoryName(existing) ?? throw new ReportOutputException($"{directory}: cannot write the report here (no such place)");
        }
        // Permission bits do not stop root, and a read-only mount only says so when written: try it.
        var probe = Path.Combine(existing, $".oxidation-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The reason without the probe's name, which means nothing to the user.
            var reason = ex.Message.Replace($" : '{probe}'", "", StringComparison.Ordinal).Replace(probe, existing, StringComparison.Ordinal);
            throw new ReportOutputException($"{directory}: cannot write the report here ({reason})", ex);
        }
    }

    /// <summary>
    /// Writes the files under <paramref name="directory"/> (created if needed); returns the paths written. A file that
    /// cannot be written (disk full, a directory in its place) throws <see cref="ReportOutputException"/> naming it.
    /// </summary>
    public static List<string> Write(ReportModel model, string directory)
    {
        CheckOutput(directory);
        var files = Render(model);
        var written = new List<string>();
        foreach (var (relative, text) in files)
        {
            var path = Path.Combine(directory, relative);
            // Write beside, then rename: a reader (or a failed run) never sees half a file.
            var temporary = path + ".tmp";
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(temporary, text, new UTF8Encoding(false));
                File.Move(temporary, path, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TryDelete(temporary);
                throw new ReportOutputException($"{path}: cannot write the report ({ex.Message})", ex);
            }
            written.Add(path);
        }
        return written;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The error that stopped the write is the one to report.
        }
    }
}

/// <summary>A report that cannot be written where it was asked to go; the message names the place and why.</summary>
public sealed class ReportOutputException(string message, Exception? inner = null) : Exception(message, inner);
