using System.Text;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Xmp;

namespace WebStudio.Studio.Storage;

/// <summary>
/// What every image the studio writes says about its origin: IPTC's digital source type
/// <c>trainedAlgorithmicMedia</c> (made by a trained model), in an XMP packet. ImageSharp writes the packet as
/// the PNG iTXt chunk <c>XML:com.adobe.xmp</c>, as JPEG's APP1 XMP segment and as WebP's XMP chunk. It holds no
/// prompt, so it stays on images whose share link hides the prompts.
/// </summary>
public static class Provenance
{
    public const string DigitalSourceType = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
    public const string IptcExtensionNamespace = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";

    public static string XmpPacket { get; } = $"""
        <?xpacket begin="{'\uFEFF'}" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/">
         <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <rdf:Description rdf:about=""
            xmlns:Iptc4xmpExt="{IptcExtensionNamespace}"
            xmlns:xmp="http://ns.adobe.com/xap/1.0/">
           <Iptc4xmpExt:DigitalSourceType>{DigitalSourceType}</Iptc4xmpExt:DigitalSourceType>
           <xmp:CreatorTool>WebStudio</xmp:CreatorTool>
          </rdf:Description>
         </rdf:RDF>
        </x:xmpmeta>
        <?xpacket end="r"?>
        """;

    private static readonly byte[] PacketBytes = Encoding.UTF8.GetBytes(XmpPacket);

    /// <summary>Sets the packet on <paramref name="metadata"/>, replacing any XMP it held (an upload's own).</summary>
    public static void Stamp(ImageMetadata metadata) => metadata.XmpProfile = new XmpProfile((byte[])PacketBytes.Clone());
}
