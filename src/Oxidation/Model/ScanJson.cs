using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Oxidation.Model;

/// <summary>Writes a <see cref="ScanResult"/> as the documented JSON (docs/json-schema.md).</summary>
public static class ScanJson
{
    /// <summary>The options every Oxidation JSON output uses: camelCase names, indented, UTF-8 unescaped.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Serialises a scan.</summary>
    public static string Serialize(ScanResult result) => JsonSerializer.Serialize(result, Options);

    /// <summary>Writes a scan to a stream.</summary>
    public static void Write(Stream stream, ScanResult result) => JsonSerializer.Serialize(stream, result, Options);
}
