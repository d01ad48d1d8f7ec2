using System.Text.Json;
using System.Text.Json.Serialization;
using WebStudio.Studio.ApiKeys;
using WebStudio.Studio.Queue;

namespace WebStudio.Web.Api;

/// <summary>JSON settings of the API: OpenAI's snake_case names are spelled out on each record; nulls are left out.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
