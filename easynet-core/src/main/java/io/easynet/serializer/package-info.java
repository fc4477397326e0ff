/**
 * The serializers shipped with EasyNet: JSON and CBOR (wire-compatible with EasyNetwork's {@code JSONSerializer}
 * and {@code CBORSerializer}), Smile, text lines, length-prefixed frames and raw bytes.
 */
@NullMarked
package io.easynet.serializer;

import org.jspecify.annotations.NullMarked;
