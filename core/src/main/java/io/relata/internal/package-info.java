/**
 * Implementation details of Relata core: SQL writing, entity mapping, graph assembly, planning.
 * Not API: public only so that adapters in other modules can use it; may change without notice.
 */
@NullMarked
package io.relata.internal;

import org.jspecify.annotations.NullMarked;
