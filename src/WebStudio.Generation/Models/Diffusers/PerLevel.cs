using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebStudio.Generation.Models.Diffusers;

/// <summary>A UNet setting that diffusers gives either once for every level (8) or per level ([5, 10, 20, 20]),
/// written back in the form it came in.</summary>
[JsonConverter(typeof(PerLevelConverterFactory))]
public sealed record PerLevel<T>(IReadOnlyList<T> Values, bool IsList) where T : struct
{
    public static implicit operator PerLevel<T>(T value) => new([value], false);

    public static PerLevel<T> List(params IReadOnlyList<T> values) => new(values, true);
}

internal sealed class PerLevelConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(PerLevel<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(PerLevelConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()))!;
}

internal sealed class PerLevelConverter<T> : JsonConverter<PerLevel<T>> where T : struct
{
    public override PerLevel<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.StartArray
            ? new PerLevel<T>(JsonSerializer.Deserialize<T[]>(ref reader, options)!, true)
            : new PerLevel<T>([JsonSerializer.Deserialize<T>(ref reader, options)], false);

    public override void Write(Utf8JsonWriter writer, PerLevel<T> value, JsonSerializerOptions options)
    {
        if (value.IsList)
        {
            JsonSerializer.Serialize(writer, value.Values, options);
        }
        else
        {
            JsonSerializer.Serialize(writer, value.Values[0], options);
        }
    }
}
