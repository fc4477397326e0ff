/**
 * The serializers shipped with EasyNet: JSON (wire-compatible with EasyNetwork's {@code JSONSerializer}), text
 * lines, length-prefixed frames, fixed-size binary structs, CBOR and Smile, and raw bytes; the wrappers that
 * base64-encode or compress another serializer's bytes; and the base classes for writing one's own.
 */
@NullMarked
package io.easynet.serializer;

import org.jspecify.annotations.NullMarked;
