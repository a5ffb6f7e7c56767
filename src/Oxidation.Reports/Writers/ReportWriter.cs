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
        yield return ("units", new { units = model.Units, removed = model.RemovedUnits });
        yield return ("abstractions", new { modules = model.Abstractions, headers = model.Headers });
        yield return ("unsafe", new { byArea = model.UnsafeByArea, byUnit = model.UnsafeByUnit, unjustified = model.Unjustified });
        yield return ("history", model.History);
        yield return ("cves", model.Cves);
        yield return ("claims", model.Claims);
        yield return ("missing", model.Missing);
    }

    /// <summary>Writes the files under <paramref name="directory"/> (created if needed); returns the paths written.</summary>
    public static List<string> Write(ReportModel model, string directory)
    {
        var files = Render(model);
        var written = new List<string>();
        foreach (var (relative, text) in files)
        {
            var path = Path.Combine(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // Write beside, then rename: a reader (or a failed run) never sees half a file.
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, text, new UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
            written.Add(path);
        }
        return written;
    }
}
