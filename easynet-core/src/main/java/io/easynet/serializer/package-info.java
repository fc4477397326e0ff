/**
 * The serializers shipped with EasyNet: JSON (wire-compatible with EasyNetwork's {@code JSONSerializer}), text
 * lines, length-prefixed frames, fixed-size binary structs and raw bytes.
 */
@NullMarked
package io.easynet.serializer;

import org.jspecify.annotations.NullMarked;
