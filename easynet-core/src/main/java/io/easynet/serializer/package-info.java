/**
 * The serializers shipped with EasyNet: JSON (wire-compatible with EasyNetwork's {@code JSONSerializer}), text
 * lines, length-prefixed frames and raw bytes, and the wrappers that base64-encode or compress another
 * serializer's bytes.
 */
@NullMarked
package io.easynet.serializer;

import org.jspecify.annotations.NullMarked;
